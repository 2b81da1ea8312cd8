"""matplotlib + networkx, no widgets: the network diagram and the loss curve."""
