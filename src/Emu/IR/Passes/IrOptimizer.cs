namespace Emu.IR.Passes;

/// <summary>Runs the optimization passes in order.</summary>
public static class IrOptimizer
{
    public static void Run(IrBlock block)
    {
        // Forwarding register values first exposes constants to folding; folding leaves dead ops for DCE.
        RegisterGetSetElimination.Run(block);
        ConstantFolding.Run(block);
        ExtensionUseForwarding.Run(block);
        FlagsSelectSplitting.Run(block);
        LaneMoveFolding.Run(block);
        ZeroUpperElimination.Run(block);
        DeadCodeElimination.Run(block);
    }
}
