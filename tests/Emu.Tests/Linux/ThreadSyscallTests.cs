using Emu.Cpu;
using Emu.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

public sealed unsafe class ThreadSyscallTests : IDisposable
{
    private const ulong S = GuestHarness.Scratch;
    // CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID|CHILD_SETTID, as glibc's pthread_create.
    private const ulong PthreadFlags = 0x100 | 0x200 | 0x400 | 0x800 | 0x10000 | 0x40000 | 0x80000 | 0x100000 | 0x200000 | 0x1000000;
    private readonly GuestHarness _h = new();

    public void Dispose() => _h.Dispose();

    [Fact]
    public void CloneStartsAThreadWithItsOwnStackAndTls()
    {
        ulong childX0 = 99, childSp = 0, childTls = 0, childPc = 0;
        int childSeesTid = 0;
        _h.Process.ThreadRunner = ctx =>
        {
            childX0 = ctx->X[0];
            childSp = ctx->X[31];
            childTls = ctx->Tpidr;
            childPc = ctx->Pc;
            childSeesTid = _h.Memory.Read<int>(S + 4);
            return 0;
        };
        ulong ptid = S, ctid = S + 4;
        _h.Memory.Write(ctid, -1);
        _h.Ctx->Pc = 0x400100;
        _h.Ctx->X[31] = 0x7000;
        long tid = _h.Syscall(G.Clone, PthreadFlags, S + 0x8000, ptid, 0xabc000, ctid);
        Assert.True(tid > 0, $"clone returned {tid}");
        Assert.NotEqual(_h.Syscall(G.Gettid), tid);
        Assert.Equal((int)tid, _h.Memory.Read<int>(ptid));

        // The thread's end clears the child tid word (what pthread_join waits for).
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_h.Memory.Read<int>(ctid) != 0 && DateTime.UtcNow < deadline) Thread.Sleep(1);
        Assert.Equal(0, _h.Memory.Read<int>(ctid));
        while (_h.Process.LiveThreads != 1 && DateTime.UtcNow < deadline) Thread.Sleep(1);
        Assert.Equal(1, _h.Process.LiveThreads);

        Assert.Equal(0UL, childX0);
        Assert.Equal(S + 0x8000, childSp);
        Assert.Equal(0xabc000UL, childTls);
        Assert.Equal(0x400100UL, childPc);
        Assert.Equal((int)tid, childSeesTid);
        Assert.Equal(0x7000UL, _h.Ctx->X[31]); // the parent's registers are untouched
    }

    [Fact]
    public void ExitOfTheInitialThreadWaitsForTheOthers()
    {
        bool workerFinished = false;
        _h.Process.ThreadRunner = ctx =>
        {
            Thread.Sleep(200);
            workerFinished = true;
            return 0;
        };
        Assert.True(_h.Syscall(G.Clone, PthreadFlags, S + 0x8000, S, 0, S + 4) > 0);
        _h.Ctx->X[8] = G.Exit;
        _h.Ctx->X[0] = 0;
        _h.Ctx->Exit = ExitReason.Syscall;
        Assert.Equal(0, _h.Process.HandleExit(_h.Ctx));
        Assert.True(workerFinished);
        Assert.Equal(0, _h.Process.LiveThreads);
    }

    [Fact]
    public void CloneRefusesWhatItCannotDo()
    {
        Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.Clone, PthreadFlags, S + 0x8000, 0, 0, 0)); // no runner yet
        _h.Process.ThreadRunner = ctx => 0;
        if (!GuestProcess.ForkSupported)
            Assert.Equal(-Errno.ENOSYS, _h.Syscall(G.Clone, 0x11 /* fork: SIGCHLD */, 0, 0, 0, 0));
        Assert.Equal(-Errno.EINVAL, _h.Syscall(G.Clone, 0x100 /* CLONE_VM alone */, S + 0x8000, 0, 0, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Clone, PthreadFlags, S + 0x8000, 0x8000_0000, 0, S));
        Assert.Equal(1, _h.Process.LiveThreads);
    }
}

public sealed class ExecSyscallTests : IDisposable
{
    private const ulong S = GuestHarness.Scratch;
    private readonly GuestHarness _h = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("emu-exec").FullName;

    public void Dispose()
    {
        _h.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    // Only failures can be tested in-process: a successful execve would replace the test host.
    [Fact]
    public void ExecveFailsLikeLinux()
    {
        _h.WriteString(S, Path.Combine(_dir, "missing"));
        _h.Memory.Write(S + 0x800, S);
        _h.Memory.Write(S + 0x808, 0UL);
        Assert.Equal(-Errno.ENOENT, _h.Syscall(G.Execve, S, S + 0x800, 0));

        string plain = Path.Combine(_dir, "not-executable");
        File.WriteAllText(plain, "#!/bin/sh\n");
        _h.WriteString(S, plain);
        Assert.Equal(-Errno.EACCES, _h.Syscall(G.Execve, S, S + 0x800, 0));

        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Execve, 0x8000_0000, S + 0x800, 0));
        Assert.Equal(-Errno.EFAULT, _h.Syscall(G.Execve, S, 0x8000_0000, 0));
    }

    [Fact]
    public void ScriptWithAMissingInterpreterIsEnoent()
    {
        string script = Path.Combine(_dir, "script");
        File.WriteAllText(script, "#!/nonexistent/interpreter -x\necho hi\n");
        _h.WriteString(S, script);
        Assert.Equal(0, _h.Syscall(G.Fchmodat, -100, (long)S, 0x140 /* 0500 */));
        Assert.Equal(-Errno.ENOENT, _h.Syscall(G.Execve, S, 0, 0));
    }
}
