using Emu.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

public sealed unsafe class SignalDeliveryTests : IDisposable
{
    private const ulong S = GuestHarness.Scratch;
    private const ulong Handler = 0x400800, Restorer = 0x400900;
    private const ulong SaSiginfo = 4, SaRestorer = 0x04000000, SaNodefer = 0x40000000;
    private readonly GuestHarness _h = new();

    public void Dispose() => _h.Dispose();

    private void SetHandler(int signo, ulong flags, ulong mask = 0)
    {
        _h.Memory.Write(S, Handler);
        _h.Memory.Write(S + 8, flags);
        _h.Memory.Write(S + 16, Restorer);
        _h.Memory.Write(S + 24, mask);
        Assert.Equal(0, _h.Syscall(G.RtSigaction, (ulong)signo, S, 0, 8));
    }

    [Fact]
    public void RaisingACaughtSignalEntersTheHandlerAndSigreturnRestores()
    {
        SetHandler(SignalNumbers.SIGUSR1, SaSiginfo | SaRestorer, mask: 1UL << (SignalNumbers.SIGUSR2 - 1));
        ulong sp = S + ScratchTop - 0x123; // unaligned on purpose
        _h.Ctx->X[31] = sp;
        _h.Ctx->X[19] = 0x1919;
        _h.Ctx->X[29] = 0x2929;
        _h.Ctx->X[30] = 0x3030;
        _h.Ctx->Nzcv = 0x6000_0000;
        _h.Ctx->Fpcr = 0x0300_0000;
        _h.Ctx->V[5] = 0x5555;
        _h.Ctx->Pc = 0x400104; // after the SVC
        long tid = _h.Syscall(G.Gettid);
        // X0 then holds the handler's first argument, not tgkill's result (that is saved in the frame).
        _h.Syscall(G.Tgkill, Environment.ProcessId, tid, SignalNumbers.SIGUSR1);

        // In the handler: x0 = signo, x1 = &siginfo, x2 = &ucontext, x30 = restorer, 16-byte aligned sp.
        Assert.Equal(Handler, _h.Ctx->Pc);
        Assert.Equal((ulong)SignalNumbers.SIGUSR1, _h.Ctx->X[0]);
        ulong frame = _h.Ctx->X[31];
        Assert.Equal(0UL, frame & 15);
        Assert.True(frame < sp);
        Assert.Equal(frame, _h.Ctx->X[1]);
        Assert.Equal(frame + 128, _h.Ctx->X[2]);
        Assert.Equal(Restorer, _h.Ctx->X[30]);
        Assert.Equal(SignalNumbers.SIGUSR1, _h.Memory.Read<int>(frame)); // si_signo
        Assert.Equal(-6, _h.Memory.Read<int>(frame + 8)); // SI_TKILL
        // uc_mcontext at ucontext + 176: regs at +8, sp at +256, pc at +264, pstate at +272.
        ulong mc = frame + 128 + 176;
        Assert.Equal(0x1919UL, _h.Memory.Read<ulong>(mc + 8 + 19 * 8));
        Assert.Equal(sp, _h.Memory.Read<ulong>(mc + 256));
        Assert.Equal(0x400104UL, _h.Memory.Read<ulong>(mc + 264));
        Assert.Equal(0x6000_0000UL, _h.Memory.Read<ulong>(mc + 272));
        Assert.Equal(0x46508001u, _h.Memory.Read<uint>(mc + 288)); // fpsimd_context magic
        // The frame record {fp, lr} sits just above the frame, and x29 points at it.
        Assert.Equal(0x2929UL, _h.Memory.Read<ulong>(_h.Ctx->X[29]));
        Assert.Equal(0x3030UL, _h.Memory.Read<ulong>(_h.Ctx->X[29] + 8));
        // While it runs, the signal itself and sa_mask are blocked.
        Assert.Equal((1UL << 9) | (1UL << 11), _h.Process.SignalMask);

        _h.Ctx->X[19] = 0;
        _h.Ctx->V[5] = 0;
        _h.Ctx->Nzcv = 0;
        Assert.Equal(0, _h.Syscall(G.RtSigreturn)); // x0 of the interrupted code: tgkill's result
        Assert.Equal(0x400104UL, _h.Ctx->Pc);
        Assert.Equal(sp, _h.Ctx->X[31]);
        Assert.Equal(0x1919UL, _h.Ctx->X[19]);
        Assert.Equal(0x3030UL, _h.Ctx->X[30]);
        Assert.Equal(0x6000_0000UL, _h.Ctx->Nzcv);
        Assert.Equal(0x5555UL, _h.Ctx->V[5]);
        Assert.Equal(0x0300_0000UL, _h.Ctx->Fpcr);
        Assert.Equal(0UL, _h.Process.SignalMask);
    }

    [Fact]
    public void BlockedSignalIsEnteredWhenUnblocked()
    {
        SetHandler(SignalNumbers.SIGUSR2, SaRestorer | SaNodefer);
        _h.Ctx->X[31] = S + ScratchTop;
        _h.Memory.Write(S + 0x100, 1UL << (SignalNumbers.SIGUSR2 - 1));
        Assert.Equal(0, _h.Syscall(G.RtSigprocmask, 0 /* SIG_BLOCK */, S + 0x100, 0, 8));
        _h.Ctx->Pc = 0x400200;
        Assert.Equal(0, _h.Syscall(G.Kill, Environment.ProcessId, SignalNumbers.SIGUSR2));
        Assert.Equal(0x400200UL, _h.Ctx->Pc);
        Assert.Equal(SignalNumbers.SIGUSR2, _h.Syscall(G.RtSigprocmask, 1 /* SIG_UNBLOCK */, S + 0x100, 0, 8));
        Assert.Equal(Handler, _h.Ctx->Pc);
        Assert.Equal(0UL, _h.Process.PendingSignals);
        Assert.Equal(0UL, _h.Process.SignalMask); // SA_NODEFER: the signal is not blocked in its handler
    }

    [Fact]
    public void WithoutARestorerTheHandlerReturnsThroughATrampoline()
    {
        SetHandler(SignalNumbers.SIGUSR1, 0);
        _h.Ctx->X[31] = S + ScratchTop;
        Assert.Equal(SignalNumbers.SIGUSR1, _h.Syscall(G.Kill, Environment.ProcessId, SignalNumbers.SIGUSR1));
        ulong trampoline = _h.Ctx->X[30];
        Assert.NotEqual(Restorer, trampoline);
        Assert.True(_h.Memory.IsAccessible(trampoline, 8, Emu.Memory.GuestProt.Exec));
        Assert.Equal(0xd2801168u, _h.Memory.Read<uint>(trampoline)); // mov x8, #139
        Assert.Equal(0xd4000001u, _h.Memory.Read<uint>(trampoline + 4)); // svc #0
    }

    private const ulong ScratchTop = GuestHarness.ScratchSize;
}
