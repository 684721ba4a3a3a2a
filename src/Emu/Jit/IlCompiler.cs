using Emu.IR;

namespace Emu.Jit;

/// <summary>Tier 1: compiles a block's IR to IL in a DynamicMethod; guest registers live in IL locals.</summary>
public static class IlCompiler
{
    public static BlockCode Compile(IrBlock block) => throw new NotImplementedException("tier 1: " + block.StartPc);

    /// <summary>Forces RyuJIT to compile <paramref name="code"/> now (on the calling thread) without running guest code.</summary>
    public static void Prejit(BlockCode code)
    {
    }
}
