"""Reading documents: checked text, page layouts and record formats, into records."""
