namespace Emu.IR.Passes;

/// <summary>Runs the optimization passes in order.</summary>
public static class IrOptimizer
{
    public static void Run(IrBlock block)
    {
    }
}
