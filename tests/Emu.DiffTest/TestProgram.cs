using System.Buffers.Binary;

namespace Emu.DiffTest;

/// <summary>
/// Writes a static AArch64 ELF that runs a batch of cases. Per case it clears the exclusive monitor,
/// loads FPCR, FPSR=0, NZCV, SP, V0–V31 and X0–X30 from the input record, runs the sequence, saves X0
/// in TPIDR_EL0 to free a base register, stores the whole state to the output record and writes the
/// output record and the memory block to stdout. A run that stops early points at the trapping case.
/// </summary>
public static class TestProgram
{
    public const ulong CodeAddress = 0x400000;
    public const ulong DataAddress = 0x1000_0000;
    private const int CodeOffset = 0x100;

    public static ulong InputAddress(int slot) => DataAddress + (ulong)slot * StateLayout.RecordSize;

    public static ulong OutputAddress(int slot) => InputAddress(slot) + StateLayout.InputSize;

    public static ulong MemoryAddress(int slot) => OutputAddress(slot) + StateLayout.StateSize;

    /// <summary>The ELF image for <paramref name="cases"/>, case i in slot i.</summary>
    public static byte[] Build(IReadOnlyList<DiffCase> cases)
    {
        var code = new List<uint>();
        for (int slot = 0; slot < cases.Count; slot++)
            EmitCase(code, slot, cases[slot]);
        code.Add(0xD2800000); // mov x0, #0
        code.Add(0xD2800BA8); // mov x8, #93 (exit)
        code.Add(0xD4000001); // svc #0

        var data = new byte[cases.Count * StateLayout.RecordSize];
        for (int slot = 0; slot < cases.Count; slot++)
        {
            int at = slot * StateLayout.RecordSize;
            cases[slot].Input.CopyTo(data, at);
            cases[slot].Memory.CopyTo(data, at + StateLayout.InputSize + StateLayout.StateSize);
        }

        int codeEnd = CodeOffset + code.Count * 4;
        int dataOffset = (codeEnd + 0xFFF) & ~0xFFF;
        var image = new byte[dataOffset + data.Length];
        var span = image.AsSpan();
        // ELF header (ELFCLASS64, little endian, ET_EXEC, EM_AARCH64).
        image[0] = 0x7F; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F';
        image[4] = 2; image[5] = 1; image[6] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(span[16..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], 183);
        BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(span[24..], CodeAddress + CodeOffset);
        BinaryPrimitives.WriteUInt64LittleEndian(span[32..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[52..], 64);
        BinaryPrimitives.WriteUInt16LittleEndian(span[54..], 56);
        BinaryPrimitives.WriteUInt16LittleEndian(span[56..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(span[58..], 64);
        WriteSegment(span[64..], flags: 5, 0, CodeAddress, (ulong)codeEnd);
        WriteSegment(span[120..], flags: 6, (ulong)dataOffset, DataAddress, (ulong)data.Length);
        for (int i = 0; i < code.Count; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(span[(CodeOffset + 4 * i)..], code[i]);
        data.CopyTo(image, dataOffset);
        return image;
    }

    /// <summary>Address of the first word of case <paramref name="slot"/>'s sequence, for disassembly.</summary>
    public static ulong SequenceAddress(IReadOnlyList<DiffCase> cases, int slot)
    {
        var code = new List<uint>();
        for (int i = 0; i < slot; i++) EmitCase(code, i, cases[i]);
        return CodeAddress + CodeOffset + (ulong)(code.Count + PrologueLength) * 4;
    }

    private const int PrologueLength = 1 + 2 + 2 + 1 + 2 + 2 + 32 + 30 + 1;

    private static void WriteSegment(Span<byte> ph, uint flags, ulong offset, ulong address, ulong size)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1); // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], flags);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], offset);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], address);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], address);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], size);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], size);
        BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000);
    }

    private static void EmitCase(List<uint> code, int slot, DiffCase c)
    {
        int start = code.Count;
        code.Add(0xD5033F5F); // clrex
        MoveAddress(code, 0, InputAddress(slot));
        code.Add(LdrX(1, 0, StateLayout.Fpcr));
        code.Add(0xD51B4401); // msr fpcr, x1
        code.Add(0xD51B443F); // msr fpsr, xzr
        code.Add(LdrX(1, 0, StateLayout.Nzcv));
        code.Add(0xD51B4201); // msr nzcv, x1
        code.Add(LdrX(1, 0, StateLayout.Sp));
        code.Add(0x9100003F); // mov sp, x1
        for (int v = 0; v < 32; v++) code.Add(0x3DC00000u | ((uint)StateLayout.V(v) / 16 << 10) | (uint)v);
        for (int r = 1; r <= 30; r++) code.Add(LdrX(r, 0, StateLayout.X(r)));
        code.Add(LdrX(0, 0, StateLayout.X(0)));
        if (code.Count - start != PrologueLength) throw new InvalidOperationException("prologue length changed");
        code.AddRange(c.Words);

        code.Add(0xD51BD040); // msr tpidr_el0, x0
        MoveAddress(code, 0, OutputAddress(slot));
        for (int r = 1; r <= 30; r++) code.Add(StrX(r, 0, StateLayout.X(r)));
        code.Add(0xD53BD041); // mrs x1, tpidr_el0
        code.Add(StrX(1, 0, StateLayout.X(0)));
        code.Add(0x910003E1); // mov x1, sp
        code.Add(StrX(1, 0, StateLayout.Sp));
        code.Add(0xD53B4201); // mrs x1, nzcv
        code.Add(StrX(1, 0, StateLayout.Nzcv));
        code.Add(0xD53B4421); // mrs x1, fpsr
        code.Add(StrX(1, 0, StateLayout.Fpsr));
        for (int v = 0; v < 32; v++) code.Add(0x3D800000u | ((uint)StateLayout.V(v) / 16 << 10) | (uint)v);
        // write(1, output, OutputSize)
        code.Add(0xAA0003E1); // mov x1, x0
        code.Add(0xD2800020); // mov x0, #1
        code.Add(0xD2800000 | ((uint)StateLayout.OutputSize << 5) | 2); // mov x2, #OutputSize
        code.Add(0xD2800808); // mov x8, #64
        code.Add(0xD4000001); // svc #0
    }

    private static void MoveAddress(List<uint> code, int rd, ulong address)
    {
        if (address >> 32 != 0) throw new ArgumentOutOfRangeException(nameof(address));
        code.Add(0xD2800000 | ((uint)(address & 0xFFFF) << 5) | (uint)rd); // movz xd, #lo
        code.Add(0xF2A00000 | ((uint)(address >> 16 & 0xFFFF) << 5) | (uint)rd); // movk xd, #hi, lsl #16
    }

    private static uint LdrX(int rt, int rn, int offset) => 0xF9400000 | ((uint)offset / 8 << 10) | ((uint)rn << 5) | (uint)rt;

    private static uint StrX(int rt, int rn, int offset) => 0xF9000000 | ((uint)offset / 8 << 10) | ((uint)rn << 5) | (uint)rt;
}
