namespace Emu.IR.Passes;

/// <summary>Runs the optimization passes in order.</summary>
public static class IrOptimizer
{
    /// <summary>All passes: the IR Tier 1 compiles.</summary>
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

    /// <summary>
    /// The passes that pay for themselves in the cold tier, whose blocks mostly run a few times: forwarding,
    /// folding and dead-code removal shrink what the interpreter steps through. The others only shape IR for
    /// RyuJIT (host register pressure, vector moves); Tier 1 rebuilds the IR and runs them all.
    /// </summary>
    public static void RunCold(IrBlock block)
    {
        RegisterGetSetElimination.Run(block);
        ConstantFolding.Run(block);
        DeadCodeElimination.Run(block);
    }
}
