using Emu.Linux.Abi;
using Emu.Linux.Signals;
using Emu.Memory;
using static Emu.Linux.Errno;
using G = Emu.Linux.GuestSyscall;
using H = Emu.Linux.Native.HostSyscall;

namespace Emu.Linux;

// signalfd: the guest's pending signals are ours, not the host kernel's, so a signalfd is emulated. Its
// host file is an eventfd whose count is nonzero exactly while a signal of the fd's mask is pending, so
// poll, select and epoll see the right readiness without knowing about it; read is intercepted and returns
// 128-byte struct signalfd_siginfo records of signals it dequeues from the reading thread and the process.
public sealed unsafe partial class GuestProcess
{
    private const int SfdNonblock = 0x800, SfdCloexec = 0x80000, SignalfdSiginfoSize = 128;

    private sealed class SignalfdState
    {
        public ulong Mask;
        public bool Signaled;
    }

    // Guest fd -> signalfd (under _signalLock). Empty in most programs: the hooks below cost one check.
    private readonly Dictionary<int, SignalfdState> _signalfds = [];
    private volatile int _signalfdCount;

    private void RegisterSignalfdSyscalls()
    {
        Register(G.Signalfd4, "dpux", (SyscallArgs a) => SysSignalfd((int)a.A0, a.A1, a.A2, (int)a.A3));
    }

    private long SysSignalfd(int fd, ulong maskAddress, ulong maskSize, int flags)
    {
        if (maskSize != 8 || (flags & ~(SfdNonblock | SfdCloexec)) != 0) return -EINVAL;
        ulong mask = ReadGuestUInt64(maskAddress) & ~Unblockable;
        if (fd != -1)
        {
            lock (_signalLock)
            {
                if (!_signalfds.TryGetValue(fd, out var existing)) return -EINVAL;
                existing.Mask = mask;
            }
        }
        else
        {
            // EFD_NONBLOCK and EFD_CLOEXEC have the values of SFD_NONBLOCK and SFD_CLOEXEC.
            long created = FdTable.AdoptNew(Host(H.Eventfd2, 0, flags));
            if (created < 0) return created;
            fd = (int)created;
            lock (_signalLock) _signalfds[fd] = new SignalfdState { Mask = mask };
            _signalfdCount = _signalfds.Count;
        }
        // Signals from outside must be queued, not act in the host, for the fd to see them.
        for (int signo = 1; signo <= SignalNumbers.Max; signo++)
            if ((mask & Bit(signo)) != 0) SyncHostRouting(signo);
        UpdateSignalfds();
        return fd;
    }

    /// <summary>A guest fd was closed or replaced: it is no longer a signalfd.</summary>
    private void ForgetSignalfd(long fd)
    {
        if (_signalfdCount == 0) return;
        lock (_signalLock)
        {
            if (fd < 0 || fd > int.MaxValue) return;
            _signalfds.Remove((int)fd);
            _signalfdCount = _signalfds.Count;
        }
    }

    private void ForgetSignalfdRange(ulong first, ulong last)
    {
        if (_signalfdCount == 0) return;
        lock (_signalLock)
        {
            foreach (int fd in _signalfds.Keys.ToArray())
                if ((ulong)fd >= first && (ulong)fd <= last) _signalfds.Remove(fd);
            _signalfdCount = _signalfds.Count;
        }
    }

    private bool IsSignalfd(ulong fd)
    {
        if (_signalfdCount == 0 || fd > int.MaxValue) return false;
        lock (_signalLock) return _signalfds.ContainsKey((int)fd);
    }

    /// <summary>Brings every signalfd's eventfd count in line with the pending signals (nonzero iff one of its mask is pending).</summary>
    private void UpdateSignalfds()
    {
        if (_signalfdCount == 0) return;
        ulong value = 1;
        lock (_signalLock)
        {
            ulong pending = _processPending;
            foreach (var t in _threads.Values) pending |= t.Pending;
            foreach (var (fd, s) in _signalfds)
            {
                bool ready = (pending & s.Mask) != 0;
                if (ready == s.Signaled) continue;
                // The count is 0 or 1 here: writing 1 makes it readable, reading it makes it 0 again.
                long r = ready ? Host(H.Write, fd, (long)&value, 8) : Host(H.Read, fd, (long)&value, 8);
                if (r == 8) s.Signaled = ready;
            }
        }
    }

    /// <summary>read(2) on a signalfd: as many records as fit, at least one (waiting for it unless O_NONBLOCK).</summary>
    private long SignalfdRead(int fd, ulong buffer, ulong count)
    {
        if (count < SignalfdSiginfoSize) return -EINVAL;
        ulong mask;
        lock (_signalLock)
        {
            if (!_signalfds.TryGetValue(fd, out var s)) return -EBADF;
            mask = s.Mask;
        }
        byte* dst = CheckedPointer(buffer, count / SignalfdSiginfoSize * SignalfdSiginfoSize, GuestProt.Write);
        long* pfd = stackalloc long[1];
        while (true)
        {
            TakeHostSignals();
            ulong n = 0;
            while ((n + 1) * SignalfdSiginfoSize <= count)
            {
                int signo = DequeueSignal(mask, out var info);
                if (signo == 0) break;
                byte* r = dst + n * SignalfdSiginfoSize;
                new Span<byte>(r, SignalfdSiginfoSize).Clear();
                *(uint*)r = (uint)signo;           // ssi_signo
                *(int*)(r + 8) = info.Code;        // ssi_code
                *(uint*)(r + 12) = (uint)info.Pid; // ssi_pid
                *(uint*)(r + 16) = info.Uid;       // ssi_uid
                *(ulong*)(r + 72) = info.Address;  // ssi_addr
                n++;
            }
            if (n > 0)
            {
                UpdateSignalfds();
                return (long)(n * SignalfdSiginfoSize);
            }
            long fl = Host(H.Fcntl, fd, 3 /* F_GETFL */);
            if (fl >= 0 && (fl & SfdNonblock) != 0) return -EAGAIN;
            // Wait for the eventfd to become readable; a signal for this thread interrupts the wait.
            *(int*)pfd = fd;
            *((short*)pfd + 2) = 1; // POLLIN
            *((short*)pfd + 3) = 0;
            long p = Host(H.Ppoll, (long)pfd, 1, 0, 0, 8);
            if (p == -EINTR && HasDeliverableSignal()) return -EINTR;
        }
    }

    /// <summary>
    /// Whether host <paramref name="signo"/> must come to us: the guest handles it, blocks it in some thread,
    /// or a signalfd waits for it (queued, not acted on by the host). Otherwise the host's disposition is the
    /// guest's: ignored or default.
    /// </summary>
    private void SyncHostRouting(int signo)
    {
        if (HostRoutingWanted(signo)) HostSignals.Route(signo);
        else if (_sigactions[signo].Handler == GuestSigaction.SigIgnore) HostSignals.Ignore(signo);
        else HostSignals.Unroute(signo);
    }

    private bool HostRoutingWanted(int signo)
    {
        if (_sigactions[signo].Handler is not (GuestSigaction.SigDefault or GuestSigaction.SigIgnore)) return true;
        // A stop signal's default action is carried out by the host, so it is never taken over for a mask alone.
        if (signo is 20 or 21 or 22) return false;
        lock (_signalLock)
        {
            foreach (var t in _threads.Values)
                if ((t.BlockedMask & Bit(signo)) != 0) return true;
            foreach (var s in _signalfds.Values)
                if ((s.Mask & Bit(signo)) != 0) return true;
        }
        return false;
    }
}
