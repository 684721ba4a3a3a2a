using Emu.Linux;
using G = Emu.Linux.GuestSyscall;

namespace Emu.Tests.Linux;

public sealed unsafe class EventAndSocketSyscallTests : IDisposable
{
    private const ulong S = GuestHarness.Scratch;
    private readonly GuestHarness _h = new();

    public void Dispose() => _h.Dispose();

    private (int, int) SocketPair()
    {
        Assert.Equal(0, _h.Syscall(G.Socketpair, 1 /* AF_UNIX */, 1 /* SOCK_STREAM */, 0, (long)(S + 0x800)));
        return (_h.Memory.Read<int>(S + 0x800), _h.Memory.Read<int>(S + 0x804));
    }

    [Fact]
    public void EpollReportsReadinessWithTheGuestLayout()
    {
        var (a, b) = SocketPair();
        long ep = _h.Syscall(G.EpollCreate1, 0x80000 /* EPOLL_CLOEXEC */);
        Assert.True(ep >= 0);
        ulong ev = S;
        _h.Memory.Write(ev, 1u /* EPOLLIN */);
        _h.Memory.Write(ev + 8, 0xfeedface12345678UL);
        Assert.Equal(0, _h.Syscall(G.EpollCtl, (ulong)ep, 1 /* EPOLL_CTL_ADD */, (ulong)a, ev));

        ulong events = S + 0x100;
        Assert.Equal(0, _h.Syscall(G.EpollPwait, (ulong)ep, events, 4, 0, 0, 8));
        _h.WriteString(S + 0x200, "x");
        Assert.Equal(1, _h.Syscall(G.Write, (ulong)b, S + 0x200, 1));
        Assert.Equal(1, _h.Syscall(G.EpollPwait, (ulong)ep, events, 4, 1000, 0, 8));
        Assert.Equal(1u, _h.Memory.Read<uint>(events));
        Assert.Equal(0xfeedface12345678UL, _h.Memory.Read<ulong>(events + 8));
        foreach (long fd in new long[] { ep, a, b }) _h.Syscall(G.Close, (ulong)fd);
    }

    [Fact]
    public void SendmsgAndRecvmsgTranslateTheIovecs()
    {
        var (a, b) = SocketPair();
        ulong msg = S, iov = S + 0x100, data = S + 0x200;
        _h.WriteString(data, "ping");
        _h.WriteString(data + 0x10, "pong");
        _h.Memory.Write(iov, data);
        _h.Memory.Write(iov + 8, 4UL);
        _h.Memory.Write(iov + 16, data + 0x10);
        _h.Memory.Write(iov + 24, 4UL);
        _h.Memory.GetSpan(msg, 56).Clear();
        _h.Memory.Write(msg + 16, iov);
        _h.Memory.Write(msg + 24, 2UL);
        Assert.Equal(8, _h.Syscall(G.Sendmsg, (ulong)a, msg, 0));

        ulong dst = S + 0x400;
        _h.Memory.Write(iov, dst);
        _h.Memory.Write(iov + 8, 16UL);
        _h.Memory.Write(msg + 24, 1UL);
        Assert.Equal(8, _h.Syscall(G.Recvmsg, (ulong)b, msg, 0));
        Assert.Equal("pingpong", _h.ReadString(dst, 8));
        _h.Syscall(G.Close, (ulong)a);
        _h.Syscall(G.Close, (ulong)b);
    }

    [Fact]
    public void PpollAndPselectSeeAReadableSocket()
    {
        var (a, b) = SocketPair();
        _h.WriteString(S + 0x200, "x");
        _h.Syscall(G.Write, (ulong)b, S + 0x200, 1);
        ulong pfd = S;
        _h.Memory.Write(pfd, a);
        _h.Memory.Write(pfd + 4, (short)1 /* POLLIN */);
        _h.Memory.Write(pfd + 6, (short)0);
        Assert.Equal(1, _h.Syscall(G.Ppoll, pfd, 1, 0, 0, 8));
        Assert.Equal((short)1, _h.Memory.Read<short>(pfd + 6));

        ulong set = S + 0x100, ts = S + 0x180, sig = S + 0x1a0, mask = S + 0x1c0;
        _h.Memory.GetSpan(set, 128).Clear();
        // fd_set is a bit array: in a busy test host the fd may be 64 or more.
        ulong word = set + (ulong)(a / 64) * 8;
        _h.Memory.Write(word, 1UL << (a % 64));
        _h.Memory.Write(ts, 0L);
        _h.Memory.Write(ts + 8, 0L);
        _h.Memory.Write(mask, 0UL);
        _h.Memory.Write(sig, mask);
        _h.Memory.Write(sig + 8, 8UL);
        Assert.Equal(1, _h.Syscall(G.Pselect6, (ulong)a + 1, set, 0, 0, ts, sig));
        Assert.Equal(1UL << (a % 64), _h.Memory.Read<ulong>(word));
        _h.Syscall(G.Close, (ulong)a);
        _h.Syscall(G.Close, (ulong)b);
    }

    [Fact]
    public void WriteToABrokenPipeIsEpipeAndIgnoredSigpipeDoesNotKill()
    {
        _h.Memory.Write(S + 0x300, 1UL); // SIG_IGN
        Assert.Equal(0, _h.Syscall(G.RtSigaction, SignalNumbers.SIGPIPE, S + 0x300, 0, 8));
        Assert.Equal(0, _h.Syscall(G.Pipe2, S + 0x800, 0));
        int r = _h.Memory.Read<int>(S + 0x800), w = _h.Memory.Read<int>(S + 0x804);
        _h.Syscall(G.Close, (ulong)r);
        Assert.Equal(-Errno.EPIPE, _h.Syscall(G.Write, (ulong)w, S, 1));
        Assert.Equal(0UL, _h.Process.PendingSignals);
        _h.Syscall(G.Close, (ulong)w);
    }
}
