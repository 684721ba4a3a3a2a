using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Emu.Cpu;
using Emu.Memory;

namespace Emu.Debugging;

/// <summary>
/// A GDB remote serial protocol server (qemu's -g): gdb connects over TCP to 127.0.0.1:port before the
/// first guest instruction. The dispatcher calls <see cref="BeforeBlock"/> before every block, and the
/// translator makes one instruction per block while a stub is attached, so breakpoints (kept here, never
/// written into guest memory) and single steps are exact. All guest threads stop at the stub; gdb sees
/// one thread.
/// </summary>
public sealed unsafe class GdbStub : IDisposable
{
    private readonly GuestMemory _memory;
    private readonly TcpListener _listener;
    private readonly HashSet<ulong> _breakpoints = [];
    private readonly object _lock = new();
    private Socket? _client;
    private NetworkStream? _stream;
    private bool _noAck;
    private bool _detached;
    private bool _stepping;
    /// <summary>Resuming at this PC must not stop again at a breakpoint there.</summary>
    private ulong? _resumeFrom;
    private int _blocksSincePoll;
    private const int InterruptPollInterval = 4096;

    public int Port { get; }

    /// <summary>Register numbers in the order of the target description below.</summary>
    private const int RegPc = 32, RegCpsr = 33, RegV0 = 34, RegFpsr = 66, RegFpcr = 67, RegCount = 68;

    public GdbStub(GuestMemory memory, int port)
    {
        _memory = memory;
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
    }

    /// <summary>Blocks until gdb connects, then answers it until it resumes the guest.</summary>
    public void WaitForConnection(CpuContext* ctx)
    {
        _client = _listener.AcceptSocket();
        _client.NoDelay = true;
        _stream = new NetworkStream(_client, ownsSocket: false);
        Serve(ctx, initialStop: true);
    }

    /// <summary>The dispatcher's hook: stops for a pending step or a breakpoint and then serves gdb.</summary>
    public void BeforeBlock(nint context)
    {
        var ctx = (CpuContext*)context;
        lock (_lock)
        {
            if (_detached || _stream == null) return;
            ulong pc = ctx->Pc;
            bool skip = _resumeFrom == pc;
            _resumeFrom = null;
            if (_stepping || (!skip && _breakpoints.Contains(pc)))
            {
                Send(StopReply(5));
                Serve(ctx, initialStop: false);
            }
            else if (++_blocksSincePoll >= InterruptPollInterval)
            {
                // Ctrl-C in gdb sends a bare 0x03; look for it now and then (a syscall per block would be slow).
                _blocksSincePoll = 0;
                if (_client!.Available > 0 && _stream.ReadByte() == 0x03)
                {
                    Send(StopReply(2)); // SIGINT
                    Serve(ctx, initialStop: false);
                }
            }
        }
    }

    /// <summary>The guest exited with <paramref name="status"/> (or died of a signal): tell gdb.</summary>
    public void ReportExit(int status, int? signal)
    {
        lock (_lock)
        {
            if (_detached || _stream == null) return;
            try
            {
                Send(signal is { } s ? $"X{s & 0xff:x2}" : $"W{status & 0xff:x2}");
            }
            catch (IOException)
            {
            }
        }
    }

    private static string StopReply(int signal) => $"T{signal:x2}thread:1;";

    /// <summary>Answers packets until one resumes the guest (c, s, vCont, D) or gdb goes away.</summary>
    private void Serve(CpuContext* ctx, bool initialStop)
    {
        _ = initialStop;
        while (true)
        {
            string? packet;
            try
            {
                packet = Receive();
            }
            catch (IOException)
            {
                packet = null;
            }
            if (packet == null)
            {
                // gdb disconnected: run on as if detached.
                _detached = true;
                return;
            }
            if (packet == "\x03") continue; // interrupt while stopped: nothing to do
            string? reply = Handle(ctx, packet, out bool resume);
            if (reply != null) Send(reply);
            if (resume) return;
        }
    }

    private string? Handle(CpuContext* ctx, string p, out bool resume)
    {
        resume = false;
        if (p.Length == 0) return "";
        switch (p[0])
        {
            case '?': return StopReply(5);
            case 'g': return ReadAllRegisters(ctx);
            case 'G': return WriteAllRegisters(ctx, p[1..]);
            case 'p':
                return int.TryParse(p.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int rn) && rn < RegCount ? ReadRegister(ctx, rn) : "E01";
            case 'P': return WriteRegisterPacket(ctx, p[1..]);
            case 'm': return ReadMemory(p[1..]);
            case 'M': return WriteMemory(p[1..]);
            case 'Z' or 'z': return Breakpoint(p[0] == 'Z', p[1..]);
            case 'H': return "OK";
            case 'T': return "OK"; // thread 1 is alive
            case 'c':
                if (p.Length > 1) ctx->Pc = ParseHex(p.AsSpan(1));
                Resume(ctx, step: false, out resume);
                return null;
            case 's':
                if (p.Length > 1) ctx->Pc = ParseHex(p.AsSpan(1));
                Resume(ctx, step: true, out resume);
                return null;
            case 'k':
                _stream?.Flush();
                Environment.Exit(137);
                return null;
            case 'D':
                _detached = true;
                _breakpoints.Clear();
                resume = true;
                return "OK";
        }
        if (p == "vCont?") return "vCont;c;C;s;S";
        if (p.StartsWith("vCont;", StringComparison.Ordinal))
        {
            // One thread: the first action decides; 's'/'S' steps, anything else continues.
            string action = p[6..].Split(';')[0];
            Resume(ctx, step: action.Length > 0 && action[0] is 's' or 'S', out resume);
            return null;
        }
        if (p.StartsWith("qSupported", StringComparison.Ordinal))
            return "PacketSize=4000;qXfer:features:read+;QStartNoAckMode+;vContSupported+;swbreak+";
        if (p == "QStartNoAckMode")
        {
            Send("OK");
            _noAck = true;
            return null;
        }
        if (p.StartsWith("qXfer:features:read:", StringComparison.Ordinal)) return XferFeatures(p["qXfer:features:read:".Length..]);
        if (p == "qAttached") return "1";
        if (p == "qC") return "QC1";
        if (p == "qfThreadInfo") return "m1";
        if (p == "qsThreadInfo") return "l";
        if (p.StartsWith("qThreadExtraInfo", StringComparison.Ordinal)) return HexOf(Encoding.ASCII.GetBytes("main"));
        return ""; // unsupported packet
    }

    private void Resume(CpuContext* ctx, bool step, out bool resume)
    {
        _stepping = step;
        _resumeFrom = ctx->Pc;
        resume = true;
    }

    private static ulong ParseHex(ReadOnlySpan<char> s) => ulong.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private string Breakpoint(bool insert, string args)
    {
        var parts = args.Split(',');
        // Z0 software, Z1 hardware: both are a PC check here. Watchpoints are not supported.
        if (parts.Length < 2 || parts[0] is not ("0" or "1")) return "";
        ulong address = ParseHex(parts[1]);
        if (insert) _breakpoints.Add(address);
        else _breakpoints.Remove(address);
        return "OK";
    }

    // --- registers ------------------------------------------------------------------------------------

    private static int RegisterSize(int n) => n switch
    {
        < RegCpsr => 8,
        RegCpsr => 4,
        < RegFpsr => 16,
        _ => 4,
    };

    private static void RegisterBytes(CpuContext* ctx, int n, Span<byte> dest)
    {
        switch (n)
        {
            case < 32: BitConverter.TryWriteBytes(dest, ctx->X[n]); break;
            case RegPc: BitConverter.TryWriteBytes(dest, ctx->Pc); break;
            case RegCpsr: BitConverter.TryWriteBytes(dest, (uint)ctx->Nzcv); break;
            case < RegFpsr:
                BitConverter.TryWriteBytes(dest, ctx->V[(n - RegV0) * 2]);
                BitConverter.TryWriteBytes(dest[8..], ctx->V[(n - RegV0) * 2 + 1]);
                break;
            case RegFpsr: BitConverter.TryWriteBytes(dest, (uint)ctx->Fpsr); break;
            default: BitConverter.TryWriteBytes(dest, (uint)ctx->Fpcr); break;
        }
    }

    private static void SetRegister(CpuContext* ctx, int n, ReadOnlySpan<byte> b)
    {
        switch (n)
        {
            case < 32: ctx->X[n] = BitConverter.ToUInt64(b); break;
            case RegPc: ctx->Pc = BitConverter.ToUInt64(b); break;
            case RegCpsr: ctx->Nzcv = BitConverter.ToUInt32(b) & 0xf000_0000u; break;
            case < RegFpsr:
                ctx->V[(n - RegV0) * 2] = BitConverter.ToUInt64(b);
                ctx->V[(n - RegV0) * 2 + 1] = BitConverter.ToUInt64(b[8..]);
                break;
            case RegFpsr: ctx->Fpsr = BitConverter.ToUInt32(b); break;
            default: ctx->Fpcr = BitConverter.ToUInt32(b); break;
        }
    }

    private static string ReadRegister(CpuContext* ctx, int n)
    {
        Span<byte> b = stackalloc byte[16];
        RegisterBytes(ctx, n, b);
        return HexOf(b[..RegisterSize(n)]);
    }

    private static string ReadAllRegisters(CpuContext* ctx)
    {
        var sb = new StringBuilder();
        for (int n = 0; n < RegCount; n++) sb.Append(ReadRegister(ctx, n));
        return sb.ToString();
    }

    private static string WriteAllRegisters(CpuContext* ctx, string hex)
    {
        byte[] data = BytesOf(hex);
        int at = 0;
        for (int n = 0; n < RegCount && at + RegisterSize(n) <= data.Length; n++)
        {
            SetRegister(ctx, n, data.AsSpan(at, RegisterSize(n)));
            at += RegisterSize(n);
        }
        return "OK";
    }

    private static string WriteRegisterPacket(CpuContext* ctx, string args)
    {
        int eq = args.IndexOf('=');
        if (eq < 0 || !int.TryParse(args.AsSpan(0, eq), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int n) || n >= RegCount) return "E01";
        byte[] data = BytesOf(args[(eq + 1)..]);
        if (data.Length < RegisterSize(n)) return "E01";
        SetRegister(ctx, n, data);
        return "OK";
    }

    // --- memory ---------------------------------------------------------------------------------------

    private string ReadMemory(string args)
    {
        var parts = args.Split(',');
        if (parts.Length != 2) return "E01";
        ulong address = ParseHex(parts[0]), length = ParseHex(parts[1]);
        if (length > 0x10000) length = 0x10000;
        // Only mapped, readable guest memory: gdb probes arbitrary addresses.
        if (!_memory.IsAccessible(address, length, GuestProt.Read)) return "E14";
        return HexOf(new ReadOnlySpan<byte>(_memory.HostPointer(address), (int)length));
    }

    private string WriteMemory(string args)
    {
        int colon = args.IndexOf(':');
        if (colon < 0) return "E01";
        var parts = args[..colon].Split(',');
        if (parts.Length != 2) return "E01";
        ulong address = ParseHex(parts[0]);
        byte[] data = BytesOf(args[(colon + 1)..]);
        if ((ulong)data.Length != ParseHex(parts[1])) return "E01";
        if (!_memory.IsAccessible(address, (ulong)data.Length, GuestProt.Write)) return "E14";
        data.CopyTo(new Span<byte>(_memory.HostPointer(address), data.Length));
        return "OK";
    }

    // --- target description ---------------------------------------------------------------------------

    private static string TargetXml()
    {
        var sb = new StringBuilder();
        sb.Append("<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\"><target><architecture>aarch64</architecture>");
        sb.Append("<feature name=\"org.gnu.gdb.aarch64.core\">");
        for (int i = 0; i < 31; i++) sb.Append($"<reg name=\"x{i}\" bitsize=\"64\" type=\"int\" regnum=\"{i}\"/>");
        sb.Append("<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\" regnum=\"31\"/>");
        sb.Append("<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" regnum=\"32\"/>");
        sb.Append("<reg name=\"cpsr\" bitsize=\"32\" type=\"int\" regnum=\"33\"/>");
        sb.Append("</feature><feature name=\"org.gnu.gdb.aarch64.fpu\">");
        sb.Append("<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/><vector id=\"v2u\" type=\"uint64\" count=\"2\"/>");
        sb.Append("<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/><vector id=\"v4u\" type=\"uint32\" count=\"4\"/>");
        sb.Append("<vector id=\"v8u\" type=\"uint16\" count=\"8\"/><vector id=\"v16u\" type=\"uint8\" count=\"16\"/>");
        sb.Append("<union id=\"vnd\"><field name=\"f\" type=\"v2d\"/><field name=\"u\" type=\"v2u\"/></union>");
        sb.Append("<union id=\"vns\"><field name=\"f\" type=\"v4f\"/><field name=\"u\" type=\"v4u\"/></union>");
        sb.Append("<union id=\"vnh\"><field name=\"u\" type=\"v8u\"/></union><union id=\"vnb\"><field name=\"u\" type=\"v16u\"/></union>");
        sb.Append("<union id=\"aarch64v\"><field name=\"d\" type=\"vnd\"/><field name=\"s\" type=\"vns\"/>");
        sb.Append("<field name=\"h\" type=\"vnh\"/><field name=\"b\" type=\"vnb\"/><field name=\"q\" type=\"uint128\"/></union>");
        for (int i = 0; i < 32; i++) sb.Append($"<reg name=\"v{i}\" bitsize=\"128\" type=\"aarch64v\" regnum=\"{RegV0 + i}\"/>");
        sb.Append($"<reg name=\"fpsr\" bitsize=\"32\" type=\"int\" regnum=\"{RegFpsr}\"/>");
        sb.Append($"<reg name=\"fpcr\" bitsize=\"32\" type=\"int\" regnum=\"{RegFpcr}\"/>");
        sb.Append("</feature></target>");
        return sb.ToString();
    }

    private static string XferFeatures(string args)
    {
        // annex:offset,length
        int colon = args.IndexOf(':');
        if (colon < 0 || args[..colon] != "target.xml") return "E00";
        var range = args[(colon + 1)..].Split(',');
        if (range.Length != 2) return "E01";
        string xml = TargetXml();
        int offset = (int)Math.Min(ParseHex(range[0]), (ulong)xml.Length);
        int length = (int)Math.Min(ParseHex(range[1]), (ulong)(xml.Length - offset));
        return (offset + length >= xml.Length ? "l" : "m") + xml.Substring(offset, length);
    }

    // --- packets --------------------------------------------------------------------------------------

    private static string HexOf(ReadOnlySpan<byte> b) => Convert.ToHexStringLower(b);

    private static byte[] BytesOf(string hex) => Convert.FromHexString(hex.AsSpan(0, hex.Length & ~1));

    private void Send(string payload)
    {
        // Escape the characters the protocol reserves inside packets.
        var body = new StringBuilder();
        foreach (char c in payload)
        {
            if (c is '$' or '#' or '}' or '*') body.Append('}').Append((char)(c ^ 0x20));
            else body.Append(c);
        }
        byte sum = 0;
        foreach (char c in body.ToString()) sum += (byte)c;
        byte[] bytes = Encoding.Latin1.GetBytes($"${body}#{sum:x2}");
        _stream!.Write(bytes);
        _stream.Flush();
        if (!_noAck) ReadAck();
    }

    private void ReadAck()
    {
        // gdb answers '+' (or '-' to ask again, which over TCP does not happen in practice).
        int b;
        do b = _stream!.ReadByte(); while (b is not ('+' or '-' or -1));
    }

    /// <summary>The next packet's payload (checksum not verified: TCP already is), "\x03" for an interrupt, null at EOF.</summary>
    private string? Receive()
    {
        var s = _stream!;
        int b;
        do
        {
            b = s.ReadByte();
            if (b == -1) return null;
            if (b == 0x03) return "\x03";
        }
        while (b != '$');
        var payload = new StringBuilder();
        while ((b = s.ReadByte()) != '#')
        {
            if (b == -1) return null;
            if (b == '}')
            {
                int e = s.ReadByte();
                if (e == -1) return null;
                payload.Append((char)(e ^ 0x20));
            }
            else payload.Append((char)b);
        }
        if (s.ReadByte() == -1 || s.ReadByte() == -1) return null;
        if (!_noAck) s.WriteByte((byte)'+');
        return payload.ToString();
    }

    public void Dispose()
    {
        _stream?.Dispose();
        _client?.Dispose();
        _listener.Stop();
    }
}
