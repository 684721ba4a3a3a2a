using System.Buffers.Binary;

namespace Emu.DiffTest;

/// <summary>
/// Layout of a case's records in the test program's data segment. Input: X0–X30, SP, NZCV, FPCR, V0–V31.
/// Output: X0–X30, SP, NZCV, FPSR, V0–V31, followed by the memory block, which the sequence reads and
/// writes in place; the program writes output+memory to stdout after each case.
/// </summary>
public static class StateLayout
{
    public const int Sp = 248;
    public const int Nzcv = 256;
    /// <summary>FPCR in the input record, FPSR in the output record.</summary>
    public const int Fpcr = 264;
    public const int Fpsr = 264;
    public const int StateSize = 272 + 32 * 16;
    public const int InputSize = StateSize;
    public const int MemorySize = 4096;
    /// <summary>Bytes written per case: output state then the memory block (contiguous in the record).</summary>
    public const int OutputSize = StateSize + MemorySize;
    public const int RecordSize = InputSize + OutputSize;

    public static int X(int r) => 8 * r;

    public static int V(int r) => 272 + 16 * r;

    public static void WriteU64(Span<byte> span, int offset, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(span[offset..], value);

    public static ulong ReadU64(ReadOnlySpan<byte> span, int offset) => BinaryPrimitives.ReadUInt64LittleEndian(span[offset..]);

    /// <summary>Name of the output field holding byte <paramref name="offset"/> and the field's start and length.</summary>
    public static (string Name, int Start, int Length) OutputField(int offset)
    {
        if (offset < Sp) return ($"X{offset / 8}", offset / 8 * 8, 8);
        if (offset < Nzcv) return ("SP", Sp, 8);
        if (offset < Fpsr) return ("NZCV", Nzcv, 8);
        if (offset < V(0)) return ("FPSR", Fpsr, 8);
        if (offset < StateSize) return ($"V{(offset - V(0)) / 16}", V((offset - V(0)) / 16), 16);
        int m = (offset - StateSize) / 8 * 8;
        return ($"mem[{m}]", StateSize + m, 8);
    }
}
