using Emu.Cpu;
using Emu.Linux.Abi;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Linux;

// Entering a guest signal handler and leaving it (rt_sigreturn), with the frame Linux builds on arm64
// (arch/arm64/kernel/signal.c): siginfo, then a ucontext whose mcontext holds x0-x30, sp, pc, pstate and
// an fpsimd record; above it a {fp, lr} frame record. Signals are entered when a syscall returns.
public sealed unsafe partial class GuestProcess
{
    private const int SiginfoSize = 128;
    private const int UcontextOffset = SiginfoSize;
    private const int UcStackOffset = 16, UcSigmaskOffset = 40, UcMcontextOffset = 176;
    private const int McFaultAddress = 0, McRegs = 8, McSp = 256, McPc = 264, McPstate = 272, McReserved = 288;
    private const int ReservedSize = 4096;
    private const uint FpsimdMagic = 0x46508001;
    private const int FpsimdSize = 528;
    private const int SigframeSize = UcontextOffset + UcMcontextOffset + McReserved + ReservedSize; // 4688

    // Without SA_RESTORER the kernel returns through the vDSO; here a page of our own holds the same two
    // instructions: mov x8, #139 (rt_sigreturn); svc #0.
    private ulong _sigreturnTrampoline;

    private void RegisterSignalDelivery()
    {
        Register(G.RtSigreturn, "", SysRtSigreturn);
    }

    /// <summary>If a pending, unblocked signal has a guest handler, redirects the thread into it.</summary>
    private void EnterPendingHandler(CpuContext* ctx)
    {
        ulong ready = PendingSignals & ~SignalMask;
        if (ready == 0) return;
        for (int signo = 1; signo <= SignalNumbers.Max; signo++)
        {
            if ((ready & Bit(signo)) == 0) continue;
            var action = _sigactions[signo];
            if (action.Handler is GuestSigaction.SigDefault or GuestSigaction.SigIgnore) continue;
            PendingSignals &= ~Bit(signo);
            if (!EnterHandler(ctx, signo, action))
            {
                // No room for the frame: Linux kills the process with SIGSEGV.
                DeliverFatalSignal(ctx, SignalNumbers.SIGSEGV, $"cannot push the frame for signal {signo}");
                Signals.FatalSignal.Die(SignalNumbers.SIGSEGV);
            }
            return;
        }
    }

    private bool EnterHandler(CpuContext* ctx, int signo, GuestSigaction action)
    {
        ulong sp = ctx->X[CpuContext.SpIndex];
        bool onAltStack = _altStack.Flags != GuestStackT.SsDisable && sp > _altStack.Sp && sp <= _altStack.Sp + _altStack.Size;
        if ((action.Flags & GuestSigaction.SaOnStack) != 0 && _altStack.Flags != GuestStackT.SsDisable && !onAltStack)
            sp = _altStack.Sp + _altStack.Size;
        ulong record = (sp - 16) & ~15UL;
        ulong frame = (record - SigframeSize) & ~15UL;
        if (!Memory.IsAccessible(frame, record + 16 - frame, GuestProt.Read | GuestProt.Write)) return false;

        byte* f = Memory.HostPointer(frame);
        new Span<byte>(f, SigframeSize).Clear();
        // siginfo: what kill/tgkill from this process would have sent.
        *(int*)f = signo;
        *(int*)(f + 8) = _pendingCodes[signo];
        *(int*)(f + 16) = Environment.ProcessId;
        *(uint*)(f + 20) = (uint)Host(Native.HostSyscall.Getuid);

        byte* uc = f + UcontextOffset;
        *(ulong*)(uc + UcStackOffset) = _altStack.Sp;
        *(int*)(uc + UcStackOffset + 8) = onAltStack ? GuestStackT.SsOnStack : _altStack.Flags;
        *(ulong*)(uc + UcStackOffset + 16) = _altStack.Size;
        *(ulong*)(uc + UcSigmaskOffset) = SignalMask;
        byte* mc = uc + UcMcontextOffset;
        for (int i = 0; i < 31; i++) ((ulong*)(mc + McRegs))[i] = ctx->X[i];
        *(ulong*)(mc + McSp) = ctx->X[CpuContext.SpIndex];
        *(ulong*)(mc + McPc) = ctx->Pc;
        *(ulong*)(mc + McPstate) = ctx->Nzcv & 0xf000_0000;
        byte* fp = mc + McReserved;
        *(uint*)fp = FpsimdMagic;
        *(uint*)(fp + 4) = FpsimdSize;
        *(uint*)(fp + 8) = (uint)ctx->Fpsr;
        *(uint*)(fp + 12) = (uint)ctx->Fpcr;
        for (int i = 0; i < 64; i++) ((ulong*)(fp + 16))[i] = ctx->V[i];
        // The zero header after the fpsimd record ends the list (already cleared).

        *(ulong*)Memory.HostPointer(record) = ctx->X[29];
        *(ulong*)Memory.HostPointer(record + 8) = ctx->X[30];

        ulong returnAddress = (action.Flags & GuestSigaction.SaRestorer) != 0 ? action.Restorer : SigreturnTrampoline();
        if (returnAddress == 0) return false;
        ctx->X[0] = (ulong)signo;
        if ((action.Flags & GuestSigaction.SaSigInfo) != 0)
        {
            ctx->X[1] = frame;
            ctx->X[2] = frame + UcontextOffset;
        }
        ctx->X[29] = record;
        ctx->X[30] = returnAddress;
        ctx->X[CpuContext.SpIndex] = frame;
        ctx->Pc = action.Handler;

        ulong mask = SignalMask | action.Mask;
        if ((action.Flags & GuestSigaction.SaNoDefer) == 0) mask |= Bit(signo);
        SignalMask = mask & ~Unblockable;
        if ((action.Flags & GuestSigaction.SaResetHand) != 0) _sigactions[signo] = default;
        return true;
    }

    private ulong SigreturnTrampoline()
    {
        if (_sigreturnTrampoline != 0) return _sigreturnTrampoline;
        ulong page = FindMmapSpace(GuestMemory.PageSize);
        if (page == 0 || Memory.MapFixed(page, GuestMemory.PageSize, GuestProt.Read | GuestProt.Write, "[sigreturn]") != 0) return 0;
        Memory.Write(page, 0xd2801168u); // mov x8, #139
        Memory.Write(page + 4, 0xd4000001u); // svc #0
        Memory.Protect(page, GuestMemory.PageSize, GuestProt.Read | GuestProt.Exec);
        return _sigreturnTrampoline = page;
    }

    private long SysRtSigreturn(SyscallArgs a)
    {
        CpuContext* ctx = a.Ctx;
        ulong frame = ctx->X[CpuContext.SpIndex];
        if ((frame & 15) != 0 || !Memory.IsAccessible(frame, SigframeSize, GuestProt.Read))
        {
            DeliverFatalSignal(ctx, SignalNumbers.SIGSEGV, $"bad signal frame at 0x{frame:x}");
            Signals.FatalSignal.Die(SignalNumbers.SIGSEGV);
        }
        byte* uc = Memory.HostPointer(frame) + UcontextOffset;
        byte* mc = uc + UcMcontextOffset;
        for (int i = 0; i < 31; i++) ctx->X[i] = ((ulong*)(mc + McRegs))[i];
        ctx->X[CpuContext.SpIndex] = *(ulong*)(mc + McSp);
        ctx->Pc = *(ulong*)(mc + McPc);
        ctx->Nzcv = *(ulong*)(mc + McPstate) & 0xf000_0000;
        byte* fp = mc + McReserved;
        if (*(uint*)fp == FpsimdMagic)
        {
            ctx->Fpsr = *(uint*)(fp + 8);
            ctx->Fpcr = *(uint*)(fp + 12);
            for (int i = 0; i < 64; i++) ctx->V[i] = ((ulong*)(fp + 16))[i];
        }
        SignalMask = *(ulong*)(uc + UcSigmaskOffset) & ~Unblockable;
        ctx->ExclusiveSize = 0;
        // The syscall's "result" is the interrupted code's x0.
        return (long)ctx->X[0];
    }
}
