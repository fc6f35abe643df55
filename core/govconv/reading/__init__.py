"""Reading: an input's bytes, loaders and layouts, the template engine, labels and the narrative."""
