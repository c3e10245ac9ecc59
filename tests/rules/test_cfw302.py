from helpers import LEGACY_312, PY313, PY314, check, findings


def test_starting_threads():
    src = """\
    import threading
    from threading import Thread as T, Timer
    def work(): ...
    def handler():
        threading.Thread(target=work).start()
        t = T(target=work, daemon=True)
        t.start()
        Timer(5, work).start()
        (
            threading
            .Thread(target=work)
            .start()
        )
    """
    assert findings(src, "CFW302") == [("CFW302", 5, 5), ("CFW302", 7, 5), ("CFW302", 8, 5), ("CFW302", 10, 9)]


def test_thread_subclasses_and_attributes():
    src = """\
    import threading
    class Worker(threading.Thread):
        def run(self): ...
    class Poller(Worker):
        def __init__(self):
            super().__init__(daemon=True)
            self.start()
    class Service:
        def launch(self):
            self._thread.start()
        def __init__(self):
            self._thread = threading.Thread(target=self.loop)
    def go():
        Worker().start()
        w = Poller()
        w.start()
    """
    assert findings(src, "CFW302") == [
        ("CFW302", 7, 9),
        ("CFW302", 10, 9),
        ("CFW302", 14, 5),
        ("CFW302", 16, 5),
    ]


def test_processes_pools_and_executors():
    src = """\
    import multiprocessing as mp
    from concurrent.futures import ThreadPoolExecutor, ProcessPoolExecutor
    from multiprocessing.pool import ThreadPool
    def handler(items):
        p = mp.Process(target=print)
        p.start()
        with mp.Pool(4) as pool:
            pool.map(print, items)
        with ThreadPoolExecutor() as ex:
            futures = [ex.submit(print, i) for i in items]
            results = list(ex.map(print, items))
        ProcessPoolExecutor()
        ThreadPool(2)
    """
    assert findings(src, "CFW302") == [
        ("CFW302", 6, 5),
        ("CFW302", 7, 10),
        ("CFW302", 10, 20),
        ("CFW302", 11, 24),
        ("CFW302", 12, 5),
        ("CFW302", 13, 5),
    ]


def test_subprocess_and_os_process_calls():
    src = """\
    import os
    import subprocess as sp
    from subprocess import check_output
    from os import system
    import asyncio
    async def handler():
        sp.run(["ls"])
        check_output("ls", shell=True)
        os.system("ls")
        system("ls")
        os.popen("ls").read()
        pid = os.fork()
        os.execvp("ls", ["ls"])
        await asyncio.create_subprocess_exec("ls")
    """
    assert findings(src, "CFW302") == [
        ("CFW302", 7, 5),
        ("CFW302", 8, 5),
        ("CFW302", 9, 5),
        ("CFW302", 10, 5),
        ("CFW302", 11, 5),
        ("CFW302", 12, 11),
        ("CFW302", 13, 5),
        ("CFW302", 14, 11),
    ]


def test_what_works_stays_silent():
    src = """\
    import threading
    import multiprocessing
    import asyncio
    import subprocess
    from concurrent.futures import ThreadPoolExecutor
    LOCK = threading.Lock()
    LOCAL = threading.local()
    EVENT = threading.Event()
    POOL = ThreadPoolExecutor()  # never given work here
    async def handler(loop):
        with LOCK:
            pass
        t = threading.Thread(target=print)  # built, never started
        await asyncio.to_thread(print, "inline on Workers")
        await loop.run_in_executor(None, print, "inline too")
        cpus = multiprocessing.cpu_count()
        err = subprocess.CalledProcessError(1, "ls")
        t.run()
        task = asyncio.create_task(asyncio.sleep(0))
    """
    assert findings(src, "CFW302") == []


def test_look_alikes_stay_silent():
    src = """\
    class Thread:
        def start(self): ...
    class Engine:
        def start(self): ...
    def handler(server, t):
        Thread().start()
        Engine().start()
        server.start()
        t.start()
        self_like = Engine()
        self_like.start()
    class Service:
        def __init__(self, engine):
            self.engine = engine
        def go(self):
            self.engine.start()
            self.start()
        def start(self): ...
    if __name__ == "__main__":
        import threading
        threading.Thread(target=print).start()
    """
    assert findings(src, "CFW302") == []


def test_rebound_and_mixed_attributes_are_not_traced():
    src = """\
    import threading
    class Service:
        def __init__(self, engine=None):
            self.worker = threading.Thread(target=print)
            if engine:
                self.worker = engine
        def go(self):
            self.worker.start()
    def f(engine):
        t = threading.Thread(target=print)
        t = engine
        t.start()
    """
    assert findings(src, "CFW302") == []


def test_every_runtime_and_message():
    src = "import threading\ndef f():\n    threading.Thread(target=print).start()\n"
    for date in (LEGACY_312, PY313, PY314):
        assert findings(src, "CFW302", date=date) == [("CFW302", 3, 5)]
    [diag] = check(src, select=["CFW302"])
    assert "can't start new thread" in diag.message


def test_builtin_names_do_not_break_resolution():
    src = """\
    class Failure(Exception):
        pass
    def f():
        Failure().start()
        object().start()
        t = Exception()
        t.start()
    """
    assert findings(src, "CFW302") == []


def test_threads_started_in_a_loop():
    src = """\
    import threading
    def handler(jobs):
        workers = [threading.Thread(target=job) for job in jobs]
        for w in workers:
            w.start()
        for t in (threading.Thread(target=print), threading.Thread(target=len)):
            t.start()
        for x in [threading.Thread(target=print), make_engine()]:
            x.start()
        for e in engines:
            e.start()
    """
    assert findings(src, "CFW302") == [("CFW302", 5, 9), ("CFW302", 7, 9)]


def test_messages_quote_the_observed_errors_per_runtime():
    # facts §8 (observed with npm pyodide 0.28.2 and 314.0.4)
    src = """\
    import asyncio
    import os
    import subprocess
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
    from multiprocessing import Process

    async def handle(job):
        pool = ThreadPoolExecutor(max_workers=2)
        await asyncio.to_thread(job)
        Process(target=job).start()
        subprocess.run(["ls"])
        os.fork()
        ProcessPoolExecutor()
    """
    from helpers import PY313, PY314, check

    on_313 = {d.start.line: d.message for d in check(src, select=["CFW302"], date=PY313)}
    on_314 = {d.start.line: d.message for d in check(src, select=["CFW302"], date=PY314)}
    assert sorted(on_313) == sorted(on_314) == [10, 11, 12, 13]
    assert "OSError: [Errno 52] Function not implemented" in on_313[10]
    assert "No module named '_multiprocessing'" in on_314[10]
    assert "OSError: [Errno 138] emscripten does not support processes." in on_313[11]
    assert "OSError: [Errno 52] Function not implemented" in on_313[12]
    assert "lacks multiprocessing.synchronize" in on_313[13]


def test_bindings_are_seen_in_source_order():
    src = """\
    from threading import Thread as T
    from subprocess import run as sh
    def later():
        t7.start()  # bound after this function: not traced
    t7 = T()
    async def f(items):
        sh("ls")
        async for t in [T(target=print)]:
            t.start()
        (t4 := T()).start()  # a walrus receiver is not traced
        def h(x=(t6 := T())):  # the default is bound before the body runs
            t6.start()
    """
    assert findings(src, "CFW302") == [("CFW302", 7, 5), ("CFW302", 9, 9), ("CFW302", 12, 9)]


def test_main_guard_body_only():
    src = """\
    import os
    if __name__ == "__main__":
        os.system("x")
    elif __name__ == "__main__":
        os.system("y")
    else:
        os.system("z")
    """
    assert findings(src, "CFW302") == [("CFW302", 7, 5)]
