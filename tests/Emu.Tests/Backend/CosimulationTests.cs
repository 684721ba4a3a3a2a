using Emu.Cpu;
using Emu.IR.Passes;

namespace Emu.Tests.Backend;

/// <summary>
/// Random blocks (fixed seeds) run through the interpreter and the IL compiler, with and without the
/// optimizer; all four runs must leave the same state.
/// </summary>
public unsafe class CosimulationTests
{
    private sealed record Outcome(ulong Pc, ulong[] X, ulong Nzcv, ulong Tpidr, ExitReason Exit, byte[] Data);

    private static Outcome Run(int seed, Tier tier, bool optimize)
    {
        using var m = new IrMachine();
        var block = RandomBlocks.Build(seed, IrMachine.DataBase);
        if (optimize)
        {
            IrOptimizer.Run(block);
            block.Verify();
        }
        var rng = new Random(seed * 7919 + 1);
        for (int r = 0; r < 32; r++) m.Ctx->X[r] = RandomBlocks.RandomValue(rng);
        m.Ctx->Nzcv = (ulong)rng.Next(16) << 28;
        var bytes = new byte[4096];
        rng.NextBytes(bytes);
        m.Memory.WriteBytes(IrMachine.DataBase, bytes);
        ulong pc = m.Run(block, tier);
        var x = new ulong[32];
        for (int r = 0; r < 32; r++) x[r] = m.Ctx->X[r];
        return new Outcome(pc, x, m.Ctx->Nzcv, m.Ctx->Tpidr, m.Ctx->Exit, m.Memory.GetSpan(IrMachine.DataBase, 4096).ToArray());
    }

    private static void AssertSame(Outcome expected, Outcome actual, string what)
    {
        Assert.True(expected.Pc == actual.Pc, $"{what}: pc 0x{expected.Pc:x} vs 0x{actual.Pc:x}");
        for (int r = 0; r < 32; r++)
            Assert.True(expected.X[r] == actual.X[r], $"{what}: X{r} 0x{expected.X[r]:x} vs 0x{actual.X[r]:x}");
        Assert.True(expected.Nzcv == actual.Nzcv, $"{what}: NZCV 0x{expected.Nzcv:x} vs 0x{actual.Nzcv:x}");
        Assert.Equal(expected.Exit, actual.Exit);
        Assert.True(expected.Data.AsSpan().SequenceEqual(actual.Data), $"{what}: memory differs");
    }

    [Fact]
    public void RandomBlocksAgreeOnBothTiersWithAndWithoutOptimization()
    {
        for (int seed = 1; seed <= 150; seed++)
        {
            var reference = Run(seed, Tier.Interpreter, optimize: false);
            AssertSame(reference, Run(seed, Tier.Il, optimize: false), $"seed {seed} IL");
            AssertSame(reference, Run(seed, Tier.Interpreter, optimize: true), $"seed {seed} optimized interpreter");
            AssertSame(reference, Run(seed, Tier.Il, optimize: true), $"seed {seed} optimized IL");
            AssertSame(reference, Run(seed, Tier.IlConstantBase, optimize: true), $"seed {seed} optimized IL, constant memory base");
        }
    }

    [Fact]
    public void RandomBlocksExerciseTheOptimizer()
    {
        // Guards the test above against vacuity: the passes must actually change these blocks.
        int shrunk = 0;
        for (int seed = 1; seed <= 20; seed++)
        {
            var block = RandomBlocks.Build(seed, IrMachine.DataBase);
            int before = block.Insts.Count;
            IrOptimizer.Run(block);
            if (block.Insts.Count < before) shrunk++;
        }
        Assert.True(shrunk >= 15, $"only {shrunk} of 20 blocks were optimized");
    }

    [Fact]
    public void ExecutingABlockAllocatesNothing()
    {
        using var m = new IrMachine();
        for (int seed = 1; seed <= 10; seed++)
        {
            var block = RandomBlocks.Build(seed, IrMachine.DataBase);
            IrOptimizer.Run(block);
            var cold = Jit.InterpretedBlock.Prepare(block);
            var hot = Jit.IlCompiler.CompileOrThrow(block);
            cold.Execute(m.Ctx);
            hot(m.Ctx);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 200; i++)
            {
                cold.Execute(m.Ctx);
                hot(m.Ctx);
            }
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        }
    }

    [Fact]
    public void PublicCompileDoesNotFallBackToTheColdTier()
    {
        int before = Jit.IlCompiler.Fallbacks;
        for (int seed = 200; seed < 230; seed++)
        {
            var code = Jit.IlCompiler.Compile(RandomBlocks.Build(seed, IrMachine.DataBase));
            Jit.IlCompiler.Prejit(code);
        }
        Assert.Equal(before, Jit.IlCompiler.Fallbacks);
    }
}
