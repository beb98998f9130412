"""Gates: judgements over models, whatever they came from (comparisons now; policy and diffs
later)."""
