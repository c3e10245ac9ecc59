(flag): bool = True
