"""One module per rule. The registry imports every module here; adding one adds its rule."""
