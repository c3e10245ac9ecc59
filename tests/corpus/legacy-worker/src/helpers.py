from workers import handler


@handler
async def on_fetch(request):
    return None


def unused_ws(value):
    import pickle
    return pickle.dumps(value)
