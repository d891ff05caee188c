"""The evaluation behind `make eval`: the corpus (generated from templates in tests/eval/ and the
knowledge base), the expected facts (read from the knowledge base), running conversations against
an assistant, and the reports. The command line is `tools/evaluate.py`; docs/evaluation.md
explains the whole."""
