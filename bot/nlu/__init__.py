"""Custom Rasa NLU components for chat Indonesian.

`normalizer.TextNormalizer` and `normalizer.IndonesianTokenizer` turn chat spelling into standard
words while keeping every token's span in the original text; `linker.ServiceLinker` links the
message to standards, regions, components and sectors of the knowledge base. Rasa imports these
modules by the dotted names in config.yml, which registers them.
"""
