"""Systems: the protocol every extraction system follows, the registry, the runner and the baselines."""
