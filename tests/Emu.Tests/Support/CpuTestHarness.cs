using Emu.Cpu;
using Emu.Jit;
using Emu.Memory;

namespace Emu.Tests.Support;

/// <summary>
/// Runs a few A64 instruction words on a fresh guest and exposes the resulting state. The code is
/// followed by BRK #0, which stops the run. Tests use <see cref="RunBothTiers"/> so every instruction is
/// checked through the cold tier and through Tier 1.
/// </summary>
public sealed unsafe class CpuTestHarness : IDisposable, IGuestEnvironment
{
    public const ulong CodeBase = 0x10000;
    public const ulong DataBase = 0x100000;
    public const ulong DataSize = 0x10000;
    public const uint Brk0 = 0xd4200000;

    public GuestMemory Memory { get; } = new(32);
    public CpuContext* Ctx { get; } = CpuContext.Allocate();
    public ExitReason StopReason { get; private set; }
    public ulong StopPc { get; private set; }
    private readonly TranslatorOptions _options;

    public CpuTestHarness(bool tier1)
    {
        _options = new TranslatorOptions { Tier1Threshold = tier1 ? 0 : -1, BackgroundCompile = false };
        Memory.MapFixed(CodeBase, 0x10000, GuestProt.Read | GuestProt.Write | GuestProt.Exec, "code");
        Memory.MapFixed(DataBase, DataSize, GuestProt.Read | GuestProt.Write, "data");
        Ctx->MemBase = (ulong)Memory.Base;
        Ctx->MemMask = Memory.Mask;
        Ctx->X[31] = DataBase + DataSize - 256; // SP inside the data area
    }

    public ulong this[int x]
    {
        get => Ctx->X[x];
        set => Ctx->X[x] = value;
    }

    public ulong Sp
    {
        get => Ctx->X[31];
        set => Ctx->X[31] = value;
    }

    public ulong Nzcv
    {
        get => Ctx->Nzcv;
        set => Ctx->Nzcv = value;
    }

    public ulong VLow(int v) => Ctx->V[v * 2];
    public ulong VHigh(int v) => Ctx->V[v * 2 + 1];
    public void SetV(int v, ulong low, ulong high)
    {
        Ctx->V[v * 2] = low;
        Ctx->V[v * 2 + 1] = high;
    }

    /// <summary>Writes the code (plus a final BRK #0) and runs from its first word until a BRK or trap.</summary>
    public void Run(params uint[] code)
    {
        for (int i = 0; i < code.Length; i++) Memory.Write(CodeBase + (ulong)i * 4, code[i]);
        Memory.Write(CodeBase + (ulong)code.Length * 4, Brk0);
        Ctx->Pc = CodeBase;
        new Dispatcher(Memory, this, _options).Run(Ctx);
    }

    int? IGuestEnvironment.HandleExit(CpuContext* ctx)
    {
        StopReason = ctx->Exit;
        StopPc = ctx->Pc;
        return 0;
    }

    /// <summary>
    /// <see cref="RunBothTiers"/> for code that reads x1 and x2 and writes its results to x3 upwards: x3..x15
    /// start as a marker, and <paramref name="expected"/>[i] must be in x(3+i); <paramref name="more"/> checks the rest.
    /// </summary>
    public static void RunWithResultRegisters(uint[] code, ulong x1, ulong x2, ulong[] expected, Action<CpuTestHarness>? more = null) =>
        RunBothTiers(code, h =>
        {
            h[1] = x1;
            h[2] = x2;
            for (int r = 3; r <= 15; r++) h[r] = 0x5555_5555_5555_5555;
        }, h =>
        {
            for (int i = 0; i < expected.Length; i++) Assert.True(expected[i] == h[3 + i], $"x{3 + i}: expected 0x{expected[i]:x}, got 0x{h[3 + i]:x}");
            more?.Invoke(h);
        });

    /// <summary>
    /// Runs <paramref name="code"/> once per tier: <paramref name="setup"/> prepares each fresh guest,
    /// <paramref name="check"/> asserts on the result; then checks the two tiers left identical state.
    /// </summary>
    public static void RunBothTiers(uint[] code, Action<CpuTestHarness> setup, Action<CpuTestHarness> check)
    {
        using var cold = new CpuTestHarness(tier1: false);
        using var hot = new CpuTestHarness(tier1: true);
        foreach (var h in new[] { cold, hot })
        {
            setup(h);
            h.Run(code);
            check(h);
        }
        for (int i = 0; i < 32; i++) Assert.True(cold[i] == hot[i], $"X{i}: cold 0x{cold[i]:x} tier1 0x{hot[i]:x}");
        Assert.Equal(cold.Nzcv, hot.Nzcv);
        for (int v = 0; v < 32; v++)
        {
            Assert.Equal(cold.VLow(v), hot.VLow(v));
            Assert.Equal(cold.VHigh(v), hot.VHigh(v));
        }
        Assert.True(cold.Memory.GetSpan(DataBase, (int)DataSize).SequenceEqual(hot.Memory.GetSpan(DataBase, (int)DataSize)), "data memory differs between tiers");
        Assert.Equal(cold.StopReason, hot.StopReason);
    }

    public void Dispose()
    {
        CpuContext.Free(Ctx);
        Memory.Dispose();
    }
}
