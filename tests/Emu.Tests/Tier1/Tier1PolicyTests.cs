using System.Diagnostics;
using Emu.IR;
using Emu.Jit;

namespace Emu.Tests.Tier1;

/// <summary>
/// Which Tier 1 requests get compiled: those whose block keeps running fast enough to pay for the compile.
/// Most tests drive Tier1Policy with their own clock (Stopwatch ticks); the last ones go through the compile thread.
/// </summary>
public sealed class Tier1PolicyTests
{
    private static long Ms(double ms) => (long)(ms * Stopwatch.Frequency / 1000);

    /// <summary>A small block (a loop body: add, branch back) that ran <paramref name="runs"/> times since <paramref name="translatedAt"/>, queued as Tier1Compiler.Request does.</summary>
    private static TranslatedBlock Block(ulong pc, int runs, long translatedAt)
    {
        var ir = new IrBlock(pc);
        var b = new IrBuilder(ir);
        b.SetReg(1, b.Add(b.GetReg(1), b.Const(1)));
        b.Jump(pc);
        ir.Verify();
        return new TranslatedBlock(ir, InterpretedBlock.Prepare(ir))
        {
            ExecutionCount = runs,
            TranslatedAt = translatedAt,
            CompileQueued = 1,
            TierUpAt = int.MaxValue,
        };
    }

    private static Tier1Policy Policy(long startedAt = 0) => new(startedAt, unconditional: false, lookup: null, 32, 300, 2);

    [Fact]
    public void AHotLoopIsCompiledAtOnce()
    {
        // 4000 runs within 0.1 ms of its translation: no need to wait for a sample.
        var policy = Policy();
        var loop = Block(0x1000, 4000, Ms(10));
        policy.Add(loop, Ms(10.1));
        Assert.Same(loop, policy.TakeNext(Ms(10.1)));
        Assert.Equal(0, policy.Count);
    }

    [Fact]
    public void ABlockThatRanOnlyDuringStartUpIsDroppedNotCompiled()
    {
        // 4000 runs spread over the first 300 ms, none after the request: it never pays for a compile.
        var policy = Policy();
        var startUp = Block(0x1000, 4000, 0);
        policy.Add(startUp, Ms(300));
        for (double t = 300; t <= 300 + 2 * Tier1Policy.PatienceMilliseconds; t += 1)
            Assert.Null(policy.TakeNext(Ms(t)));
        Assert.Equal(0, policy.Count);
        Assert.Equal(0, startUp.CompileQueued);
        // It may ask again, but only once it has run as often again.
        Assert.Equal(8000, startUp.TierUpAt);
    }

    [Fact]
    public void ARequestWhoseBlockWentColdBeforeItsTurnIsDropped()
    {
        // Both hot at their request; the hotter one is compiled first (50 ms of compile thread). Meanwhile the
        // other stops running: by its turn it no longer pays.
        var policy = Policy();
        var hotter = Block(0x1000, 40_000, Ms(1000));
        var wentCold = Block(0x2000, 4000, Ms(1000));
        policy.Add(hotter, Ms(1001));
        policy.Add(wentCold, Ms(1001));
        Assert.Same(hotter, policy.TakeNext(Ms(1001)));
        Assert.Null(policy.TakeNext(Ms(1051)));
        Assert.Equal(0, policy.Count);
        Assert.Equal(0, wentCold.CompileQueued);
        Assert.Null(wentCold.Compiled);
    }

    [Fact]
    public void ARequestWhoseBlockKeepsRunningIsCompiledAfterTheHotterOne()
    {
        var policy = Policy();
        var hotter = Block(0x1000, 40_000, Ms(1000));
        var stillHot = Block(0x2000, 4000, Ms(1000));
        policy.Add(hotter, Ms(1001));
        policy.Add(stillHot, Ms(1001));
        Assert.Same(hotter, policy.TakeNext(Ms(1001)));
        stillHot.ExecutionCount += 200_000; // ran on while the other compiled
        Assert.Same(stillHot, policy.TakeNext(Ms(1051)));
    }

    [Fact]
    public void ALukewarmBlockPaysOnceTheProgramHasRunLongEnough()
    {
        // The same rate (40k runs/s) that does not pay back during a 0.2 s start-up does after 3 s of running:
        // the program is likely to run on for a while (~0.7 ms of compile, ~34 ns saved per run, with a margin of 3).
        var early = Policy();
        var a = Block(0x1000, 8000, Ms(0));
        early.Add(a, Ms(200));
        Assert.Null(early.TakeNext(Ms(200)));

        var late = Policy();
        var b = Block(0x1000, 8000, Ms(2800));
        late.Add(b, Ms(3000));
        Assert.Same(b, late.TakeNext(Ms(3000)));
    }

    [Fact]
    public void ASavingThatCoversTheCompileOnlyOnceIsNotEnough()
    {
        // 10k runs/s after 3 s: ~30k runs ahead save ~1.0 ms against ~0.7 ms of compile, short of the margin.
        Assert.Equal(3, Tier1Policy.DefaultPayback);
        var policy = Policy();
        var b = Block(0x1000, 2000, Ms(2800));
        policy.Add(b, Ms(3000));
        Assert.Null(policy.TakeNext(Ms(3000)));
    }

    [Fact]
    public void WithoutTheCostModelEveryRequestIsCompiled()
    {
        var policy = new Tier1Policy(0, unconditional: true, lookup: null, 32, 300, 2);
        var startUp = Block(0x1000, 4000, 0);
        policy.Add(startUp, Ms(300));
        Assert.Same(startUp, policy.TakeNext(Ms(300)));
    }

    [Fact]
    public void ARegionRebuildThatItsExitsDoNotPayForIsDroppedAndItsExitsCountedAfresh()
    {
        var policy = Policy();
        var head = Block(0x1000, 4000, 0);
        head.RegionMembers = [head];
        head.RegionExits = 1 << 16;
        head.Recompiles = 1;
        head.RecompileWanted = true;
        policy.Add(head, Ms(5000));
        for (double t = 5000; t <= 5000 + 2 * Tier1Policy.PatienceMilliseconds; t += 1)
            Assert.Null(policy.TakeNext(Ms(t))); // no further exits
        Assert.Equal(0, policy.Count);
        Assert.False(head.RecompileWanted);
        Assert.Equal(0, head.Recompiles);
        Assert.Equal(0, head.RegionExits);
    }

    [Fact]
    public void ARegionRebuildWhoseCodeKeepsExitingIsCompiled()
    {
        var policy = Policy();
        var head = Block(0x1000, 4000, 0);
        head.RegionMembers = [head];
        head.RegionExits = 1 << 16;
        head.RecompileWanted = true;
        policy.Add(head, Ms(5000));
        Assert.Null(policy.TakeNext(Ms(5000)));
        head.RegionExits += 100_000; // 100k exits in 2 ms
        Assert.Same(head, policy.TakeNext(Ms(5002)));
    }

    // Through the compile thread: real time, with margins that only grow under load.

    private static bool WaitFor(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(20)) return false;
            Thread.Sleep(2);
        }
        return true;
    }

    [Fact]
    public void TheCompileThreadCompilesAHotLoop()
    {
        var tier1 = new Tier1Compiler(new TranslatorOptions { BackgroundCompile = true });
        var loop = Block(0x1000, 4000, Stopwatch.GetTimestamp() - Ms(1));
        loop.CompileQueued = 0;
        tier1.Request(loop);
        // It keeps running in the cold tier meanwhile (this thread counts for it).
        Assert.True(WaitFor(() =>
        {
            Interlocked.Add(ref loop.ExecutionCount, 100_000);
            return loop.Compiled != null;
        }));
    }

    [Fact]
    public void TheCompileThreadDropsAStartUpBlockAndItAsksAgainOnlyAtTwiceItsCount()
    {
        var tier1 = new Tier1Compiler(new TranslatorOptions { BackgroundCompile = true });
        var startUp = Block(0x1000, 4000, Stopwatch.GetTimestamp() - Ms(10_000));
        startUp.CompileQueued = 0;
        tier1.Request(startUp);
        Assert.Equal(int.MaxValue, startUp.TierUpAt); // queued: the dispatcher stops asking
        Assert.True(WaitFor(() => Volatile.Read(ref startUp.CompileQueued) == 0));
        Assert.Null(startUp.Compiled);
        Assert.Equal(8000, startUp.TierUpAt);
    }
}
