namespace Emu.Jit;

/// <summary>Knobs of the translation pipeline (set from the command line or environment).</summary>
public sealed class TranslatorOptions
{
    /// <summary>
    /// Executions in the cold tier before a block is compiled to Tier 1; 0 compiles at once; negative never.
    /// High enough that start-up code (an interpreter loading its modules) is not compiled: a compile (often a
    /// region) costs about half a millisecond of CPU, which a block pays back only after some thousands of runs,
    /// and hot loops reach the count within a millisecond anyway. 4000 rather than 1000 cut python3 -c pass
    /// from 1.7 to 1.2 s CPU (about 900 → 180 compiles) and the bench python workload by 10 %.
    /// </summary>
    public int Tier1Threshold { get; set; } = 4000;
    /// <summary>
    /// With background compiles: a request is compiled only once its block's measured rate says the compile
    /// pays back, and dropped if it does not (Tier1Compiler); off, every request is compiled, hottest first.
    /// </summary>
    public bool CostModel { get; set; } = EnvInt("EMU_TIER1_COST_MODEL", 1) != 0;
    /// <summary>Compile Tier 1 on a background thread (otherwise on the guest thread, when the threshold is hit).</summary>
    public bool BackgroundCompile { get; set; } = true;
    /// <summary>Guest instructions per block at most (qemu's -one-insn-per-tb sets 1).</summary>
    public int MaxBlockInstructions { get; set; } = 256;
    /// <summary>Blocks a Tier 1 region (a hot block and what it branches to) holds at most; 1 compiles single blocks.</summary>
    public int MaxRegionBlocks { get; set; } = EnvInt("EMU_REGION_BLOCKS", 32);
    /// <summary>IR instructions a region holds at most (bounds compile time).</summary>
    public int MaxRegionInstructions { get; set; } = EnvInt("EMU_REGION_INSNS", 300);
    /// <summary>Run the IR optimization passes.</summary>
    public bool Optimize { get; set; } = true;
    /// <summary>Where -d output goes (null: nothing is logged).</summary>
    public TextWriter? Log { get; set; }
    public bool LogInAsm { get; set; }
    /// <summary>Formats one guest instruction (address, word) for -d in_asm; the CLI supplies Capstone.</summary>
    public Func<ulong, uint, string>? InAsmFormatter { get; set; }
    public bool LogOp { get; set; }
    public bool LogOpOpt { get; set; }
    public bool LogExec { get; set; }

    // Tuning knobs for experiments without a rebuild.
    private static int EnvInt(string name, int fallback) => int.TryParse(Environment.GetEnvironmentVariable(name), out int v) ? v : fallback;
    /// <summary>-d out_asm: formats the host code of a Tier 1 block (guest PC, compiled delegate); the CLI supplies Iced.</summary>
    public Func<ulong, Delegate, string>? OutAsmFormatter { get; set; }
    /// <summary>-d unimp: log guest instructions the decoder does not know.</summary>
    public bool LogUnimp { get; set; }
    /// <summary>Encoding groups (Encoding.Group) that decode as undefined: the -cpu model lacks them.</summary>
    public IReadOnlySet<string>? DisabledGroups { get; set; }
    /// <summary>
    /// Called with the CpuContext* (Pc current) before each block runs; may block and may change registers or
    /// the PC (the GDB stub stops there). Pair with MaxBlockInstructions = 1 for per-instruction stops.
    /// </summary>
    public Action<nint>? BeforeBlock { get; set; }
}
