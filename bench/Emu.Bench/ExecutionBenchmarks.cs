using BenchmarkDotNet.Attributes;
using Emu.Jit;

namespace Emu.Bench;

/// <summary>Running a 4-instruction loop 10,000 times in each tier, through the dispatcher.</summary>
public unsafe class ExecutionBenchmarks
{
    private GuestFixture _guest = null!;
    private Dispatcher _cold = null!;
    private Dispatcher _tier1 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _guest = new GuestFixture(GuestFixture.CountdownLoop(10000));
        _cold = new Dispatcher(_guest.Memory, _guest, new TranslatorOptions { Tier1Threshold = -1 });
        _tier1 = new Dispatcher(_guest.Memory, _guest, new TranslatorOptions { Tier1Threshold = 0, BackgroundCompile = false });
    }

    [GlobalCleanup]
    public void Cleanup() => _guest.Dispose();

    private int Run(Dispatcher d)
    {
        _guest.Ctx->Pc = GuestFixture.CodeBase;
        return d.Run(_guest.Ctx);
    }

    [Benchmark(Baseline = true)]
    public int ColdTier() => Run(_cold);

    [Benchmark]
    public int Tier1() => Run(_tier1);
}
