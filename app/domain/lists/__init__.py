"""What every list page shares: the file of what it shows (``format=csv|xlsx``) and the filters a
user saved under a name."""
