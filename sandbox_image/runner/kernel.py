"""The kernel's side of the sandbox through libc and libseccomp (ctypes, in the runner only).

The zygote compiles the seccomp filter once with libseccomp and keeps the BPF program; each
child installs that program with prctl before the student's code runs (microseconds, where
compiling takes about a millisecond). The student's code never gets ctypes: the static check
and the audit hook refuse it, and the filter makes what it could reach useless.
"""

import ctypes
import ctypes.util
import errno
import os

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2

MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REC = 0x4000
MS_PRIVATE = 1 << 18

CLONE_THREAD = 0x00010000

SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_MASKED_EQ = 7
_CAPSET_VERSION_3 = 0x20080522
_SYS_CAPSET = {"x86_64": 126, "aarch64": 91}.get(os.uname().machine, 126)


def _errno_action(number: int) -> int:
    return 0x00050000 | (number & 0xFFFF)


#: system calls a student's program never needs: network, new programs and processes, signals to
#: others, tracing, namespaces and mounts, kernel keyrings, modules, BPF, io_uring, SysV IPC
DENIED_SYSCALLS: tuple[str, ...] = (
    "socket",
    "socketpair",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "execve",
    "execveat",
    "fork",
    "vfork",
    "kill",
    "tkill",
    "tgkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "pidfd_open",
    "pidfd_send_signal",
    "pidfd_getfd",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "setsid",
    "setpgid",
    "setuid",
    "setgid",
    "setreuid",
    "setregid",
    "setresuid",
    "setresgid",
    "setgroups",
    "setfsuid",
    "setfsgid",
    "capset",
    "mount",
    "umount2",
    "unshare",
    "setns",
    "pivot_root",
    "chroot",
    "mknod",
    "mknodat",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "msgget",
    "msgsnd",
    "msgrcv",
    "msgctl",
    "semget",
    "semop",
    "semctl",
    "shmget",
    "shmat",
    "shmctl",
    "mq_open",
    "mq_unlink",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "syslog",
    "settimeofday",
    "clock_settime",
    "adjtimex",
    "clock_adjtime",
    "personality",
    "modify_ldt",
    "iopl",
    "ioperm",
    "quotactl",
    "name_to_handle_at",
    "open_by_handle_at",
    "fanotify_init",
    "lookup_dcookie",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsmount",
    "fsconfig",
    "fspick",
    "mount_setattr",
    "landlock_create_ruleset",
    "memfd_secret",
)


class _ArgCompare(ctypes.Structure):
    _fields_ = (
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    )


class _SockFilterProgram(ctypes.Structure):
    _fields_ = (("len", ctypes.c_ushort), ("filter", ctypes.c_void_p))


_libc = ctypes.CDLL(None, use_errno=True)
_libc.prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)
_libc.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p)


def _check(result: int, what: str) -> None:
    if result != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"{what}: {os.strerror(number)}")


def prctl(option: int, value: int = 0) -> None:
    _check(_libc.prctl(option, value, 0, 0, 0), f"prctl({option})")


def mount_private_tmp(size_bytes: int) -> None:
    """Gives the calling process (after unshare(CLONE_NEWNS)) its own empty, size-capped /tmp."""
    _check(_libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    options = f"size={size_bytes},nr_inodes=256,mode=1777".encode()
    _check(_libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, options), "mount /tmp")


def drop_capabilities() -> None:
    """Empties every capability set (those bubblewrap left for mounting the run's /tmp)."""
    header = (ctypes.c_uint32 * 2)(_CAPSET_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    _check(_libc.syscall(_SYS_CAPSET, header, data), "capset")


def _libseccomp() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        library = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    library.seccomp_init.restype = ctypes.c_void_p
    library.seccomp_init.argtypes = (ctypes.c_uint32,)
    library.seccomp_syscall_resolve_name.argtypes = (ctypes.c_char_p,)
    library.seccomp_rule_add_array.argtypes = (
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_ArgCompare),
    )
    library.seccomp_export_bpf.argtypes = (ctypes.c_void_p, ctypes.c_int)
    library.seccomp_release.argtypes = (ctypes.c_void_p,)
    return library


def seccomp_available() -> bool:
    return _libseccomp() is not None


def compile_filter() -> bytes:
    """The BPF program: allow by default, EPERM for DENIED_SYSCALLS and for clone without CLONE_THREAD.

    clone3 answers ENOSYS (its flags sit behind a pointer a filter cannot read), so glibc falls
    back to clone for threads, where the flags can be checked.
    """
    library = _libseccomp()
    if library is None:
        raise OSError(errno.ENOENT, "libseccomp is not installed")
    context = library.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise OSError(errno.ENOMEM, "seccomp_init failed")
    try:
        deny = _errno_action(errno.EPERM)
        for name in DENIED_SYSCALLS:
            number = library.seccomp_syscall_resolve_name(name.encode())
            if number < 0:
                continue  # not a system call on this architecture
            _check(-library.seccomp_rule_add_array(context, deny, number, 0, None), f"deny {name}")
        no_thread_flag = (_ArgCompare * 1)(_ArgCompare(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0))
        clone = library.seccomp_syscall_resolve_name(b"clone")
        _check(-library.seccomp_rule_add_array(context, deny, clone, 1, no_thread_flag), "deny clone")
        clone3 = library.seccomp_syscall_resolve_name(b"clone3")
        if clone3 >= 0:
            rule = library.seccomp_rule_add_array(context, _errno_action(errno.ENOSYS), clone3, 0, None)
            _check(-rule, "deny clone3")
        read_end, write_end = os.pipe()
        try:
            _check(-library.seccomp_export_bpf(context, write_end), "export the filter")
            os.close(write_end)
            write_end = -1
            chunks = []
            while chunk := os.read(read_end, 65536):
                chunks.append(chunk)
        finally:
            os.close(read_end)
            if write_end >= 0:
                os.close(write_end)
        return b"".join(chunks)
    finally:
        library.seccomp_release(context)


def install_filter(program: bytes) -> None:
    """Loads a BPF program from compile_filter into the calling (single-threaded) process, for good."""
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFilterProgram(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    _check(_libc.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(fprog), 0, 0), "install seccomp")
