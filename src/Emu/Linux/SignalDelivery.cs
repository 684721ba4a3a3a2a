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

    /// <summary>If a signal the calling thread can take has a guest handler, redirects the thread into it.</summary>
    private void EnterPendingHandler(CpuContext* ctx)
    {
        var t = CurrentThread;
        t.Context = ctx;
        ulong ready = (t.Pending | _processPending) & ~t.BlockedMask;
        if (ready == 0) return;
        for (int signo = 1; signo <= SignalNumbers.Max; signo++)
        {
            if ((ready & Bit(signo)) == 0) continue;
            var action = _sigactions[signo];
            if (action.Handler is GuestSigaction.SigDefault or GuestSigaction.SigIgnore) continue;
            if (DequeueSignal(Bit(signo), out var info) == 0) continue; // another thread took the process's one
            UpdateSignalfds();
            if (!EnterHandler(ctx, signo, action, info.Code, null, info))
            {
                // No room for the frame: Linux kills the process with SIGSEGV.
                DeliverFatalSignal(ctx, SignalNumbers.SIGSEGV, $"cannot push the frame for signal {signo}");
                Signals.FatalSignal.Die(SignalNumbers.SIGSEGV);
            }
            return;
        }
    }

    private bool EnterHandler(CpuContext* ctx, int signo, GuestSigaction action, int siCode, ulong? faultAddress, PendingSignalInfo sender = default)
    {
        var t = CurrentThread;
        var altStack = t.AltStack;
        ulong sp = ctx->X[CpuContext.SpIndex];
        bool onAltStack = altStack.Flags != GuestStackT.SsDisable && sp > altStack.Sp && sp <= altStack.Sp + altStack.Size;
        if ((action.Flags & GuestSigaction.SaOnStack) != 0 && altStack.Flags != GuestStackT.SsDisable && !onAltStack)
            sp = altStack.Sp + altStack.Size;
        ulong record = (sp - 16) & ~15UL;
        ulong frame = (record - SigframeSize) & ~15UL;
        if (!Memory.IsAccessible(frame, record + 16 - frame, GuestProt.Read | GuestProt.Write)) return false;

        byte* f = Memory.HostPointer(frame);
        new Span<byte>(f, SigframeSize).Clear();
        // siginfo: a fault's address, or the sender as kill/tgkill from this process fills it in.
        *(int*)f = signo;
        *(int*)(f + 8) = siCode;
        if (faultAddress is { } addr)
        {
            *(ulong*)(f + 16) = addr;
        }
        else
        {
            *(int*)(f + 16) = sender.Pid;
            *(uint*)(f + 20) = sender.Uid;
            *(ulong*)(f + 24) = sender.Address; // si_value of rt_sigqueueinfo (0 for kill)
        }

        byte* uc = f + UcontextOffset;
        *(ulong*)(uc + UcStackOffset) = altStack.Sp;
        *(int*)(uc + UcStackOffset + 8) = onAltStack ? GuestStackT.SsOnStack : altStack.Flags;
        *(ulong*)(uc + UcStackOffset + 16) = altStack.Size;
        *(ulong*)(uc + UcSigmaskOffset) = t.SuspendSavedMask ?? t.BlockedMask;
        byte* mc = uc + UcMcontextOffset;
        *(ulong*)(mc + McFaultAddress) = faultAddress ?? 0;
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

        lock (_signalLock)
        {
            ulong mask = t.BlockedMask | action.Mask;
            t.SuspendSavedMask = null;
            if ((action.Flags & GuestSigaction.SaNoDefer) == 0) mask |= Bit(signo);
            t.BlockedMask = mask & ~Unblockable;
            if ((action.Flags & GuestSigaction.SaResetHand) != 0) _sigactions[signo] = default;
        }
        return true;
    }

    /// <summary>
    /// A signal the guest's own instruction caused (fault, undefined instruction, breakpoint): entered at
    /// once if the guest has a handler and the signal is not blocked; otherwise it kills the process, as
    /// Linux's force_sig does for blocked or ignored synchronous signals.
    /// </summary>
    private int? DeliverSynchronousSignal(CpuContext* ctx, int signo, int siCode, ulong faultAddress, string message)
    {
        var action = _sigactions[signo];
        CurrentThread.Context = ctx;
        bool blocked = (CurrentThread.BlockedMask & Bit(signo)) != 0;
        if (action.Handler is not (GuestSigaction.SigDefault or GuestSigaction.SigIgnore) && !blocked)
        {
            if (EnterHandler(ctx, signo, action, siCode, faultAddress)) return null;
            message = $"cannot push the frame for signal {signo}";
            signo = SignalNumbers.SIGSEGV;
        }
        return DeliverFatalSignal(ctx, signo, message);
    }

    private ulong SigreturnTrampoline()
    {
        if (_sigreturnTrampoline != 0) return _sigreturnTrampoline;
        using (LockMappings()) return MapSigreturnTrampoline();
    }

    private ulong MapSigreturnTrampoline()
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
        var t = CurrentThread;
        lock (_signalLock) t.BlockedMask = *(ulong*)(uc + UcSigmaskOffset) & ~Unblockable;
        // A signal the restored mask unblocks is taken on the way out of this syscall.
        DeliverPendingSignals();
        ctx->ExclusiveSize = 0;
        // The syscall's "result" is the interrupted code's x0.
        return (long)ctx->X[0];
    }
}
