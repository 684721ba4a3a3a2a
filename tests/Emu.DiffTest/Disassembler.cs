using Gee.External.Capstone;
using Gee.External.Capstone.Arm64;

namespace Emu.DiffTest;

/// <summary>Capstone, an AArch64 disassembler independent of our decoder: validity filter and report text.</summary>
public sealed class Disassembler : IDisposable
{
    private readonly CapstoneArm64Disassembler _capstone = CapstoneDisassembler.CreateArm64Disassembler(Arm64DisassembleMode.LittleEndian);
    private readonly byte[] _buffer = new byte[4];

    /// <summary>Mnemonic and operands, or null when Capstone does not decode the word.</summary>
    public string? Text(uint word, ulong address = 0)
    {
        BitConverter.TryWriteBytes(_buffer, word);
        var insns = _capstone.Disassemble(_buffer, (long)address);
        return insns.Length == 1 ? $"{insns[0].Mnemonic} {insns[0].Operand}".TrimEnd() : null;
    }

    public bool IsValid(uint word) => Text(word) is not null;

    public void Dispose() => _capstone.Dispose();
}
