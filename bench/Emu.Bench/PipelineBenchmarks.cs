using BenchmarkDotNet.Attributes;
using Emu.Frontend.Decoder;
using Emu.Frontend.Translation;
using Emu.IR;
using Emu.IR.Passes;
using Emu.Jit;

namespace Emu.Bench;

/// <summary>The translation pipeline stage by stage: decode, translate to IR, optimize, compile to IL.</summary>
[MemoryDiagnoser]
public unsafe class PipelineBenchmarks
{
    // A typical mix of words from glibc's start-up code.
    private static readonly uint[] Words =
    [
        0xa9bf7bfd, 0x910003fd, 0xf9400be0, 0xb4000080, 0x8b020020, 0xeb01001f, 0x54000061, 0x52800020,
        0x2a0103e0, 0xd65f03c0, 0x97fffff0, 0xaa0003f3, 0xf9000fe1, 0x39400c00, 0x7100001f, 0x1a9f17e0,
    ];

    private GuestFixture _guest = null!;
    private BlockTranslator _translator = null!;

    [GlobalSetup]
    public void Setup()
    {
        _guest = new GuestFixture(GuestFixture.CountdownLoop(1000));
        _translator = new BlockTranslator(Arm64Decoder.Instance, (ulong a, out uint w) =>
        {
            w = _guest.Memory.Read<uint>(a);
            return true;
        });
    }

    [GlobalCleanup]
    public void Cleanup() => _guest.Dispose();

    [Benchmark]
    public int Decode()
    {
        int n = 0;
        foreach (var w in Words)
            if (Arm64Decoder.Instance.Decode(w) != null) n++;
        return n;
    }

    [Benchmark]
    public IrBlock Translate() => _translator.Translate(GuestFixture.CodeBase + 4);

    [Benchmark]
    public IrBlock TranslateAndOptimize()
    {
        var b = _translator.Translate(GuestFixture.CodeBase + 4);
        IrOptimizer.Run(b);
        return b;
    }

    [Benchmark]
    public InterpretedBlock PrepareColdTier()
    {
        var b = _translator.Translate(GuestFixture.CodeBase + 4);
        IrOptimizer.Run(b);
        return InterpretedBlock.Prepare(b);
    }

    /// <summary>IR → IL → RyuJIT for one block: the cost the cold tier exists to avoid.</summary>
    [Benchmark]
    public BlockCode CompileTier1()
    {
        var b = _translator.Translate(GuestFixture.CodeBase + 4);
        IrOptimizer.Run(b);
        var code = IlCompiler.Compile(b);
        IlCompiler.Prejit(code);
        return code;
    }
}
