using Emu.Cpu;
using Emu.Jit;
using Emu.Memory;

namespace Emu.Bench;

/// <summary>A small guest with code at <see cref="CodeBase"/> that stops at BRK; shared by the benchmarks.</summary>
public sealed unsafe class GuestFixture : IGuestEnvironment, IDisposable
{
    public const ulong CodeBase = 0x10000;
    public GuestMemory Memory { get; } = new(32);
    public CpuContext* Ctx { get; } = CpuContext.Allocate();

    public GuestFixture(uint[] code)
    {
        Memory.MapFixed(CodeBase, 0x10000, GuestProt.Read | GuestProt.Write | GuestProt.Exec, "code");
        Memory.MapFixed(0x100000, 0x10000, GuestProt.Read | GuestProt.Write, "data");
        for (int i = 0; i < code.Length; i++) Memory.Write(CodeBase + (ulong)i * 4, code[i]);
        Ctx->MemBase = (ulong)Memory.Base;
        Ctx->MemMask = Memory.Mask;
        Ctx->X[31] = 0x10f000;
    }

    public int? HandleExit(CpuContext* ctx) => 0;

    public void Dispose()
    {
        CpuContext.Free(Ctx);
        Memory.Dispose();
    }

    /// <summary>x0 = n; loop: x1 += x0; x2 ^= x1; subs x0, x0, #1; b.ne loop; brk #0.</summary>
    public static uint[] CountdownLoop(ushort n) =>
    [
        0xd2800000u | ((uint)n << 5), // movz x0, #n
        0x8b000021,                   // add x1, x1, x0
        0xca010042,                   // eor x2, x2, x1
        0xf1000400,                   // subs x0, x0, #1
        0x54ffffa1,                   // b.ne -12
        0xd4200000,                   // brk #0
    ];
}
