"""The attack suite: each program's outcome, and that nothing changed on the host afterwards.

Every attack runs in both modes (with bubblewrap's namespaces, and with them forced off as on
Lambda). `ATTACKS` run with every layer; `KERNEL_ATTACKS` run without the static check, the
restricted builtins and the audit hook, to show the kernel's layers (seccomp, rlimits, the
non-dumpable parent, the privilege drop, the namespaces) hold on their own.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest

from sandbox_image.runner.client import SandboxRunner
from tests.sandbox.conftest import SECRET, TEST_LIMITS, Host, descendants


@dataclass(frozen=True)
class Attack:
    name: str
    code: str
    outcomes: frozenset[str]
    #: text that must not appear in stdout or stderr
    never_printed: tuple[str, ...] = ()
    #: text that must appear in stdout
    printed: str | None = None
    stdin: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def attack(
    name: str, code: str, *outcomes: str, never: tuple[str, ...] = (), printed: str | None = None
) -> Attack:
    return Attack(name, code, frozenset(outcomes), never_printed=never, printed=printed)


BLOCKED = "blocked"
ATTACKS = [
    attack("fork_bomb", "import os\nwhile True:\n    os.fork()", BLOCKED),
    attack("fork_through_getattr", "import pathlib\nos_ = getattr(pathlib, 'o' + 's')\nos_.fork()", BLOCKED),
    attack(
        "thread_bomb",
        "import threading, time\nthreads = []\nwhile True:\n"
        "    thread = threading.Thread(target=time.sleep, args=(30,))\n"
        "    thread.start()\n    threads.append(thread)",
        "error",
        "memory_limit",
        "timeout",
    ),
    attack("read_etc_passwd", "print(open('/etc/passwd').read())", BLOCKED, never=("root:",)),
    attack("read_etc_shadow", "print(open('/etc/shadow').read())", BLOCKED, never=("root:",)),
    attack(
        "read_another_users_file", "print(open('{victim}').read())", BLOCKED, "error", never=("VICTIM-DATA",)
    ),
    attack(
        "read_root_only_file", "print(open('{root_only}').read())", BLOCKED, "error", never=("ROOT-ONLY",)
    ),
    attack(
        "list_parent_folder", "import pathlib\nprint([p.name for p in pathlib.Path('..').iterdir()])", BLOCKED
    ),
    attack("write_outside_tmp", "open('{marker}', 'w').write('pwned')", BLOCKED),
    attack("write_etc", "open('/etc/lf-evil', 'w').write('pwned')", BLOCKED),
    attack("write_through_dotdot", "open('../../../var/tmp/lf-escape', 'w').write('pwned')", BLOCKED),
    attack(
        "symlink_escape",
        "import pathlib\npathlib.Path('link').symlink_to('/etc/passwd')\nprint(open('link').read())",
        BLOCKED,
        never=("root:",),
    ),
    attack("tcp_socket", "import socket\nsocket.create_connection(('127.0.0.1', {port}))", BLOCKED),
    attack(
        "unix_socket_to_database",
        "import socket\nsock = socket.socket(socket.AF_UNIX)\n"
        "sock.connect('/var/run/postgresql/.s.PGSQL.5432')",
        BLOCKED,
    ),
    attack("urllib", "import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{port}/')", BLOCKED),
    attack("os_system", "import os\nos.system('touch {marker}')", BLOCKED),
    attack("subprocess", "import subprocess\nsubprocess.run(['touch', '{marker}'])", BLOCKED),
    attack("ctypes", "import ctypes\nctypes.CDLL(None).system(b'touch {marker}')", BLOCKED),
    attack(
        "posixsubprocess_fork_exec",
        "import _posixsubprocess\n_posixsubprocess.fork_exec(['touch', '{marker}'])",
        BLOCKED,
    ),
    attack("subclasses_walk", "for cls in ().__class__.__base__.__subclasses__():\n    print(cls)", BLOCKED),
    attack("subclasses_by_name", "walk = getattr(object, '__subcl' + 'asses__')\nprint(walk())", BLOCKED),
    attack("sys_modules", "import sys\nsys.modules['os'].system('touch {marker}')", BLOCKED),
    attack("sys_modules_by_name", "import sys\nprint(getattr(sys, 'mod' + 'ules'))", BLOCKED),
    attack("gc_objects", "import gc\nprint(gc.get_objects()[:5])", BLOCKED),
    attack("importlib", "import importlib\nimportlib.import_module('os').system('touch {marker}')", BLOCKED),
    attack("dunder_import", "__import__('os').system('touch {marker}')", BLOCKED),
    attack("builtins_tampering", "import builtins\nbuiltins.open = print", BLOCKED),
    attack("builtins_dict", "__builtins__['__import__']('os')", BLOCKED),
    attack("builtin_self", "print.__self__.__import__('os')", BLOCKED),
    attack("eval", "print(eval('1 + 1'))", BLOCKED),
    attack("exec", "exec('import os')", BLOCKED),
    attack("compile", "code = compile('1', 'x', 'eval')", BLOCKED),
    attack("environment_secrets", "import os\nprint(os.environ)", BLOCKED, never=(SECRET,)),
    attack("proc_self_environ", "print(open('/proc/self/environ').read())", BLOCKED, never=(SECRET,)),
    attack("proc_parent_environ", "print(open('/proc/1/environ').read())", BLOCKED, never=(SECRET,)),
    attack(
        "traceback_frames",
        "try:\n    1 / 0\nexcept Exception as error:\n    print(error.__traceback__.tb_frame.f_globals)",
        BLOCKED,
    ),
    attack("generator_frames", "gen = (i for i in [1])\nprint(gen.gi_frame.f_back)", BLOCKED),
    attack("function_globals", "def f():\n    pass\nprint(f.__globals__)", BLOCKED),
    attack("attrgetter", "import operator\nprint(operator.attrgetter('__globals__')(print))", BLOCKED),
    attack("formatter_get_field", "import string\nstring.Formatter().get_field('0.x', [1], {})", BLOCKED),
    attack(
        "open_result_descriptor", 'open(3, \'w\').write(\'{"event": "done", "outcome": "ok"}\\n\')', BLOCKED
    ),
    attack("kill_parent", "import os\nos.kill(os.getppid(), 9)", BLOCKED),
    attack("kill_everything", "import os, signal\nos.kill(-1, signal.SIGKILL)", BLOCKED),
    attack("daemonize", "import os\nif os.fork():\n    os._exit(0)\nos.setsid()", BLOCKED),
    attack("ignore_signals", "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)", BLOCKED),
    attack("memory_bomb_bytes", "data = bytearray(200 * 1024 * 1024)", "memory_limit"),
    attack("memory_bomb_list", "items = []\nwhile True:\n    items.append([0] * 100_000)", "memory_limit"),
    attack("memory_bomb_string", "text = 'x' * 10**9", "memory_limit"),
    attack("infinite_loop", "while True:\n    pass", "timeout"),
    attack("sleep_forever", "import time\ntime.sleep(3600)", "timeout"),
    attack("stdout_flood", "while True:\n    print('spam' * 100)", "output_limit"),
    attack("stderr_flood", "import sys\nwhile True:\n    sys.stderr.write('e' * 1000)", "output_limit"),
    attack(
        "huge_file_in_tmp",
        "with open('/tmp/big.bin', 'wb') as f:\n    f.write(b'x' * (20 * 1024 * 1024))",
        "error",
    ),
    attack(
        "many_files_in_tmp",
        "for i in range(200):\n    open(f'/tmp/f{i}.bin', 'wb').write(b'x' * 900_000)",
        BLOCKED,
        "error",
    ),
    attack("deep_recursion", "def f(n):\n    return f(n + 1)\nf(0)", "error"),
    attack(
        "deep_recursion_raised_limit",
        "import sys\nsys.setrecursionlimit(10**9)\ndef f(n):\n    return f(n + 1)\nf(0)",
        "error",
        "memory_limit",
    ),
]

KERNEL_ATTACKS = [
    attack("fork", "import os\npid = os.fork()\nprint('forked', pid)", "error", never=("forked",)),
    attack("fork_bomb", "import os\nwhile True:\n    os.fork()", "error"),
    attack("subprocess", "import subprocess\nsubprocess.run(['/usr/bin/touch', '{marker}'])", "error"),
    attack("os_system", "import os\nprint('status', os.system('touch {marker}'))", "ok", "error"),
    attack(
        "ctypes_system", "import ctypes\nprint(ctypes.CDLL(None).system(b'touch {marker}'))", "ok", "error"
    ),
    attack("execv", "import os\nos.execv('/bin/sh', ['sh', '-c', 'touch {marker}'])", "error"),
    attack(
        "posixsubprocess_fork_exec",
        "import subprocess\nsubprocess.Popen(['/usr/bin/touch', '{marker}'], close_fds=True)",
        "error",
    ),
    attack(
        "tcp_socket", "import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)", "error"
    ),
    attack(
        "unix_socket", "import socket\nsocket.socket(socket.AF_UNIX).connect('/tmp/.s.PGSQL.5432')", "error"
    ),
    attack(
        "raw_socket_syscall",
        "import ctypes\nprint('fd', ctypes.CDLL(None, use_errno=True).syscall(41, 2, 1, 0))",
        "ok",
        printed="fd -1",
    ),
    attack("kill_parent", "import os\nos.kill(os.getppid(), 9)", "error"),
    attack("kill_everything", "import os\nos.kill(-1, 9)", "error"),
    attack(
        "ptrace_parent",
        "import ctypes, os\nprint('ptrace', ctypes.CDLL(None).ptrace(16, os.getppid(), 0, 0))",
        "ok",
        printed="ptrace -1",
    ),
    attack(
        "parent_environ",
        "import os\nprint(open(f'/proc/{os.getppid()}/environ', 'rb').read())",
        "error",
        never=(SECRET,),
    ),
    attack("parent_memory", "import os\nprint(open(f'/proc/{os.getppid()}/mem', 'rb').read(16))", "error"),
    attack(
        "grandparent_environ",
        "import os\nstat = open(f'/proc/{os.getppid()}/stat').read()\n"
        "host = int(stat.rsplit(')', 1)[1].split()[1])\nprint(open(f'/proc/{host}/environ').read())",
        "ok",
        "error",
        never=(SECRET,),
    ),
    attack("own_environment", "import os\nprint(dict(os.environ))", "ok", never=(SECRET,)),
    attack("read_root_only_file", "print(open('{root_only}').read())", "error", never=("ROOT-ONLY",)),
    attack("write_usr", "open('/usr/lf-evil', 'w').write('pwned')", "error"),
    attack("daemonize", "import os\nos.setsid()", "error"),
    attack("new_namespace", "import os\nos.unshare(os.CLONE_NEWUSER)", "error"),
    attack(
        "ignored_signals",
        "import signal\nfor s in (signal.SIGTERM, signal.SIGXCPU, signal.SIGINT, signal.SIGHUP):\n"
        "    signal.signal(s, signal.SIG_IGN)\nwhile True:\n    pass",
        "timeout",
    ),
    attack("memory_bomb", "data = bytearray(300 * 1024 * 1024)", "memory_limit"),
]


def _settled_processes(runner: SandboxRunner) -> dict[int, set[int]]:
    """Each zygote's processes once it is idle: it answers a ping only after the last run's child is
    gone and the next run's standby child is forked."""
    assert runner.layers()
    return {pid: descendants(pid) for pid in runner.worker_pids()}


def _check(runner: SandboxRunner, host: Host, attack: Attack) -> dict[str, Any]:
    pids_before = _settled_processes(runner)
    result = runner.run(host.fill(attack.code), attack.stdin)
    printed = result["stdout"] + result["stderr"]
    assert result["status"] in attack.outcomes, result
    for text in attack.never_printed:
        assert text not in printed, f"{attack.name} printed {text!r}"
    if attack.printed is not None:
        assert attack.printed in result["stdout"], result
    if result["status"] != "ok":
        assert result["message"], result
    host.assert_unchanged()
    # the service is still up: the same worker answers, and no process of the attack is left behind
    assert runner.run("print(6 * 7)")["stdout"] == "42\n"
    for pid, after in _settled_processes(runner).items():
        before = pids_before[pid]
        # the attack's child and the check's are gone; only a fresh standby child is new
        assert len(after - before) <= 1 and len(after) <= len(before), f"{attack.name} left processes behind"
    return result


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack_is_stopped(runner: SandboxRunner, host: Host, attack: Attack) -> None:
    result = _check(runner, host, attack)
    if result["status"] == "output_limit":
        assert result["truncated"] is True
        assert len(result["stdout"]) + len(result["stderr"]) <= TEST_LIMITS.output_bytes


@pytest.mark.parametrize("attack", KERNEL_ATTACKS, ids=[a.name for a in KERNEL_ATTACKS])
def test_kernel_layers_stop_the_attack_on_their_own(
    kernel_runner: SandboxRunner, host: Host, attack: Attack
) -> None:
    _check(kernel_runner, host, attack)


def test_a_run_never_sees_the_files_of_an_earlier_run(runner: SandboxRunner) -> None:
    first = runner.run(
        "open('/tmp/mine.txt', 'w').write('RUN-ONE-SECRET')\nprint(open('/tmp/mine.txt').read())"
    )
    assert first["stdout"] == "RUN-ONE-SECRET\n"
    second = runner.run("print(open('/tmp/mine.txt').read())")
    assert second["status"] == "error" and "FileNotFoundError" in second["message"]
    assert "RUN-ONE-SECRET" not in second["stdout"] + second["stderr"]


def test_blocked_programs_are_told_the_line(runner: SandboxRunner) -> None:
    result = runner.run("x = 1\n\nimport subprocess\n")
    assert result["status"] == "blocked"
    assert result["message"].startswith("Line 3: importing subprocess is not allowed")


def test_the_limits_are_reported_in_words(runner: SandboxRunner) -> None:
    assert "more than 1.5 seconds" in runner.run("while True: pass")["message"]
    assert "50 MB" in runner.run("x = bytearray(10**9)")["message"]
