"""Legal deadlines of acts: due dates counted as the law counts them."""
