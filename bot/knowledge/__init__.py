"""Knowledge base of service standards: parse -> YAML -> database -> queries."""
