using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Linux;

// Syscalls answered with a fixed error on purpose, each with the reason docs/syscalls.md shows. ENOSYS
// is what a kernel built without the feature answers, so programs already handle it.
public sealed unsafe partial class GuestProcess
{
    /// <summary>The handlers of the topic files under Syscalls/ (one call from the constructor).</summary>
    private void RegisterTopicSyscalls()
    {
        RegisterFileExtraSyscalls();
        RegisterProcessExtraSyscalls();
        RegisterIpcSyscalls();
        RegisterSocketBatchSyscalls();
        RegisterSystemAdminSyscalls();
        RegisterRefusedSyscalls();
    }

    private void RegisterRefusedSyscalls()
    {
        const string Aio = "Linux AIO: the kernel would use the buffer addresses in struct iocb as host pointers; glibc's POSIX AIO uses threads, libaio users get ENOSYS as from a kernel without CONFIG_AIO";
        foreach (int n in new[] { G.IoSetup, G.IoDestroy, G.IoSubmit, G.IoCancel, G.IoGetevents, G.IoPgetevents })
            RegisterRefused(n, ENOSYS, Aio);
        const string IoUring = "io_uring: submission entries hold guest addresses the host kernel would use as host pointers; liburing, glib and Rust runtimes fall back to plain syscalls on ENOSYS";
        foreach (int n in new[] { G.IoUringSetup, G.IoUringEnter, G.IoUringRegister })
            RegisterRefused(n, ENOSYS, IoUring);
        const string MountApi = "new mount API: util-linux's mount falls back to mount(2) on ENOSYS";
        foreach (int n in new[] { G.OpenTree, G.MoveMount, G.Fsopen, G.Fsconfig, G.Fsmount, G.Fspick, G.MountSetattr })
            RegisterRefused(n, ENOSYS, MountApi);
        const string Landlock = "Landlock: a ruleset would confine the translator too (its own files, the exec of a new translator); programs take ENOSYS as Landlock not built in";
        foreach (int n in new[] { G.LandlockCreateRuleset, G.LandlockAddRule, G.LandlockRestrictSelf })
            RegisterRefused(n, ENOSYS, Landlock);
        const string Keys = "kernel keyrings: payloads are not converted; keyutils users treat ENOSYS as a kernel without CONFIG_KEYS";
        foreach (int n in new[] { G.AddKey, G.RequestKey, G.Keyctl })
            RegisterRefused(n, ENOSYS, Keys);
        const string Quota = "disk quotas: quota tools report ENOSYS as no quota support";
        RegisterRefused(G.Quotactl, ENOSYS, Quota);
        RegisterRefused(G.QuotactlFd, ENOSYS, Quota);
        const string HostKernel = "a translated program may not load, replace or reboot the host kernel (EPERM, what an unprivileged caller gets)";
        foreach (int n in new[] { G.KexecLoad, G.KexecFileLoad, G.InitModule, G.FinitModule, G.DeleteModule, G.Reboot })
            RegisterRefused(n, EPERM, HostKernel);
        RegisterRefused(G.LookupDcookie, ENOSYS, "removed in Linux 6.9 (oprofile only)");
        RegisterRefused(G.Nfsservctl, ENOSYS, "removed in Linux 3.1; the kernel itself answers ENOSYS");
        RegisterRefused(G.RemapFilePages, ENOSYS, "deprecated since Linux 3.16 (emulated with mmap there); nothing current calls it");
        RegisterRefused(G.Ptrace, ENOSYS, "a tracer would see the translator's x86-64 threads, not guest registers; debug guests through the GDB stub (-g)");
        RegisterRefused(G.Seccomp, ENOSYS, "filters are BPF over the host's x86-64 syscall numbers and would kill the translator; programs take ENOSYS as seccomp not built in");
        RegisterRefused(G.Bpf, ENOSYS, "eBPF programs run in the host kernel on x86-64 contexts; callers take ENOSYS as no BPF");
        RegisterRefused(G.PerfEventOpen, ENOSYS, "counters and samples would measure the translator (host addresses, x86-64 events); perf users take ENOSYS as no perf events");
        RegisterRefused(G.Userfaultfd, ENOSYS, "faults arrive at host addresses of the reservation, and the translator's own accesses to the range would block");
        RegisterRefused(G.MemfdSecret, ENOSYS, "secret memory is off by default in Linux (secretmem.enable); callers fall back");
        RegisterRefused(G.ProcessMadvise, ENOSYS, "advice on another process's guest addresses; only memory managers (Android lmkd) use it");
    }
}
