using Emu.Cpu;
using Emu.IR;

namespace Emu.Jit;

/// <summary>The cold tier: runs a block's IR directly, without paying for a DynamicMethod compile.</summary>
public sealed unsafe class InterpretedBlock
{
    private readonly IrBlock _block;

    private InterpretedBlock(IrBlock block) => _block = block;

    /// <summary>Prepares <paramref name="block"/> (already optimized and renumbered) for interpretation.</summary>
    public static InterpretedBlock Prepare(IrBlock block) => new(block);

    /// <summary>Runs the block; returns the next guest PC (ctx->Exit set for syscalls and traps).</summary>
    public ulong Execute(CpuContext* ctx) => throw new NotImplementedException("cold tier: " + _block.StartPc);
}
