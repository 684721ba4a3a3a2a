using System.Reflection;
using System.Text;
using Iced.Intel;

namespace Emu.Cli;

/// <summary>
/// -d out_asm: the x86-64 code RyuJIT produced for a Tier 1 block, disassembled with Iced. A DynamicMethod
/// has no public way to its native code, so: the delegate's Method is the DynamicMethod; its internal
/// GetMethodDescriptor() gives the RuntimeMethodHandle, whose GetFunctionPointer() is the entry point
/// (once Prejit has compiled it). That entry may be a precode stub (jmp [rip+x] or jmp rel32): those jumps
/// are followed. Decoding stops at the int3 padding after the code, at a ret followed by padding, or
/// after a bound (the method's size is not published).
/// </summary>
public static unsafe class HostDisassembler
{
    private const int MaxBytes = 65536; // big regions reach 20-30 KB of host code
    private static readonly MethodInfo? s_getMethodDescriptor =
        typeof(System.Reflection.Emit.DynamicMethod).GetMethod("GetMethodDescriptor", BindingFlags.NonPublic | BindingFlags.Instance);

    /// <summary>The native entry point of <paramref name="code"/>, or 0 when the runtime does not tell.</summary>
    public static nint EntryPoint(Delegate code)
    {
        try
        {
            if (code.Method is System.Reflection.Emit.DynamicMethod dm && s_getMethodDescriptor?.Invoke(dm, null) is RuntimeMethodHandle h)
                return h.GetFunctionPointer();
            return code.Method.MethodHandle.GetFunctionPointer();
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or TargetInvocationException or ArgumentException)
        {
            return 0;
        }
    }

    public static string Format(ulong guestPc, Delegate code)
    {
        var sb = new StringBuilder();
        sb.Append("OUT: [guest 0x").Append(guestPc.ToString("x16")).AppendLine("]");
        nint entry = EntryPoint(code);
        if (entry == 0) return sb.AppendLine("  (native code not available)").AppendLine().ToString();
        nint start = FollowStubs(entry);
        // The method's size is unknown: never read past the readable mapping it lies in.
        int limit = (int)Math.Min(MaxBytes, ReadableBytesAt((ulong)start));
        if (limit == 0) return sb.AppendLine("  (native code not readable)").AppendLine().ToString();
        var reader = new UnmanagedReader((byte*)start, limit);
        var decoder = Iced.Intel.Decoder.Create(64, reader, (ulong)start);
        var formatter = new IntelFormatter();
        var output = new StringOutput();
        while (!reader.Exhausted)
        {
            decoder.Decode(out var insn);
            if (insn.IsInvalid || insn.Code == Code.Int3) break;
            formatter.Format(insn, output);
            sb.Append("0x").Append(insn.IP.ToString("x16")).Append(":  ").AppendLine(output.ToStringAndReset());
            if (insn.Mnemonic == Mnemonic.Ret && reader.AtPadding) break;
        }
        return sb.AppendLine().ToString();
    }

    /// <summary>How many bytes from <paramref name="address"/> to the end of its readable mapping (/proc/self/maps).</summary>
    private static ulong ReadableBytesAt(ulong address)
    {
        foreach (string line in File.ReadLines("/proc/self/maps"))
        {
            int dash = line.IndexOf('-'), space = line.IndexOf(' ');
            if (dash < 0 || space < dash || space + 1 >= line.Length) continue;
            ulong lo = Convert.ToUInt64(line[..dash], 16), hi = Convert.ToUInt64(line[(dash + 1)..space], 16);
            if (address >= lo && address < hi) return line[space + 1] == 'r' ? hi - address : 0;
        }
        return 0;
    }

    /// <summary>Follows the jumps of precode/fixup stubs to the jitted body.</summary>
    private static nint FollowStubs(nint p)
    {
        for (int hop = 0; hop < 4 && ReadableBytesAt((ulong)p) >= 16; hop++)
        {
            byte* b = (byte*)p;
            if (b[0] == 0xff && b[1] == 0x25) // jmp [rip+disp32]
            {
                byte* slot = b + 6 + *(int*)(b + 2);
                if (ReadableBytesAt((ulong)slot) < 8) break;
                p = *(nint*)slot;
            }
            else if (b[0] == 0xe9) p = (nint)(b + 5 + *(int*)(b + 1)); // jmp rel32
            else break;
        }
        return p;
    }

    private sealed class UnmanagedReader : CodeReader
    {
        private readonly byte* _start;
        private readonly int _length;
        private int _pos;

        public UnmanagedReader(byte* start, int length)
        {
            _start = start;
            _length = length;
        }

        public bool Exhausted => _pos >= _length;

        /// <summary>True when what follows is alignment padding (int3 or zero bytes): the method ended.</summary>
        public bool AtPadding => _pos >= _length || _start[_pos] is 0xcc or 0x00;

        public override int ReadByte() => _pos < _length ? _start[_pos++] : -1;
    }

}
