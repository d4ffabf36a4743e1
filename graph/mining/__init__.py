"""Text mining: entity mentions and candidate findings, and their score against curation."""
