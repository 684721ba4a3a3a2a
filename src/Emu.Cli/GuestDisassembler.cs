using Gee.External.Capstone;
using Gee.External.Capstone.Arm64;

namespace Emu.Cli;

/// <summary>Formats guest instructions for `-d in_asm` with Capstone, an independent AArch64 disassembler.</summary>
public sealed class GuestDisassembler : IDisposable
{
    private readonly CapstoneArm64Disassembler _capstone = CapstoneDisassembler.CreateArm64Disassembler(Arm64DisassembleMode.LittleEndian);
    private readonly byte[] _buffer = new byte[4];

    /// <summary>One line in qemu's in_asm style: address, word, mnemonic and operands.</summary>
    public string Format(ulong address, uint word)
    {
        BitConverter.TryWriteBytes(_buffer, word);
        var insns = _capstone.Disassemble(_buffer, (long)address);
        string text = insns.Length == 1 ? $"{insns[0].Mnemonic} {insns[0].Operand}".TrimEnd() : $".word 0x{word:x8}";
        return $"0x{address:x16}:  {word:x8}      {text}";
    }

    public void Dispose() => _capstone.Dispose();
}
