using System.Buffers.Binary;

namespace Emu.Tests.Conformance;

/// <summary>Writes a minimal valid AArch64 ELF executable and damaged variants of it.</summary>
internal static class MalformedElf
{
    public const ulong LoadAddress = 0x400000;
    public const int ExitStatus = 3;

    private const int EhdrSize = 64;
    private const int PhdrSize = 56;
    private const int CodeOffset = EhdrSize + PhdrSize;

    // mov x0, #3; mov x8, #93 (exit); svc #0
    private static readonly uint[] s_code = [0xd2800060, 0xd2800ba8, 0xd4000001];

    /// <summary>ET_EXEC, one PT_LOAD (R+X) mapping the whole file at 0x400000, entry just after the headers.</summary>
    public static byte[] Valid()
    {
        byte[] file = new byte[CodeOffset + s_code.Length * 4];
        Span<byte> f = file;
        f[0] = 0x7f; f[1] = (byte)'E'; f[2] = (byte)'L'; f[3] = (byte)'F';
        f[4] = 2; // ELFCLASS64
        f[5] = 1; // ELFDATA2LSB
        f[6] = 1; // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(f[16..], 2); // ET_EXEC
        BinaryPrimitives.WriteUInt16LittleEndian(f[18..], 183); // EM_AARCH64
        BinaryPrimitives.WriteUInt32LittleEndian(f[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(f[24..], LoadAddress + CodeOffset); // e_entry
        BinaryPrimitives.WriteUInt64LittleEndian(f[32..], EhdrSize); // e_phoff
        BinaryPrimitives.WriteUInt16LittleEndian(f[52..], EhdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[54..], PhdrSize);
        BinaryPrimitives.WriteUInt16LittleEndian(f[56..], 1); // e_phnum
        BinaryPrimitives.WriteUInt16LittleEndian(f[58..], 64); // e_shentsize

        Span<byte> ph = f[EhdrSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(ph, 1); // PT_LOAD
        BinaryPrimitives.WriteUInt32LittleEndian(ph[4..], 5); // PF_R | PF_X
        BinaryPrimitives.WriteUInt64LittleEndian(ph[8..], 0); // p_offset
        BinaryPrimitives.WriteUInt64LittleEndian(ph[16..], LoadAddress); // p_vaddr
        BinaryPrimitives.WriteUInt64LittleEndian(ph[24..], LoadAddress); // p_paddr
        BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], (ulong)file.Length); // p_filesz
        BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], (ulong)file.Length); // p_memsz
        BinaryPrimitives.WriteUInt64LittleEndian(ph[48..], 0x1000); // p_align

        for (int i = 0; i < s_code.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(f[(CodeOffset + 4 * i)..], s_code[i]);
        return file;
    }

    /// <summary>Damaged files by case name; every one must be refused by the loader.</summary>
    public static byte[] Build(string kind)
    {
        byte[] file = Valid();
        Span<byte> f = file;
        Span<byte> ph = f[EhdrSize..];
        switch (kind)
        {
            case "not-elf":
                return "this is not an ELF file, just text\n"u8.ToArray();
            case "empty":
                return [];
            case "truncated-header":
                return file[..40];
            case "class-32":
                f[4] = 1; // ELFCLASS32
                break;
            case "big-endian":
                f[5] = 2; // ELFDATA2MSB
                break;
            case "machine-x86_64":
                BinaryPrimitives.WriteUInt16LittleEndian(f[18..], 62); // EM_X86_64
                break;
            case "relocatable-object":
                BinaryPrimitives.WriteUInt16LittleEndian(f[16..], 1); // ET_REL
                break;
            case "phdrs-past-eof":
                BinaryPrimitives.WriteUInt64LittleEndian(f[32..], 0x10000); // e_phoff beyond the file
                break;
            case "segment-past-eof":
                BinaryPrimitives.WriteUInt64LittleEndian(ph[32..], 0x100000); // p_filesz > file size
                BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], 0x100000);
                break;
            case "absurd-memsz":
                BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], 1UL << 60);
                break;
            case "memsz-wraps":
                BinaryPrimitives.WriteUInt64LittleEndian(ph[40..], ulong.MaxValue - 0x1000);
                break;
            default:
                throw new ArgumentException($"unknown case {kind}", nameof(kind));
        }
        return file;
    }

    public static readonly string[] Kinds =
    [
        "not-elf", "empty", "truncated-header", "class-32", "big-endian", "machine-x86_64",
        "relocatable-object", "phdrs-past-eof", "segment-past-eof", "absurd-memsz", "memsz-wraps",
    ];
}
