"""The authority's portal: a personal answer link per act, the answer page and its JSON twin."""
