using System.Text;
using Emu.Cpu;
using Emu.Linux;
using Emu.Memory;

namespace Emu.Tests.Linux;

/// <summary>A guest process with a small address space and one CPU context, to drive syscall handlers directly.</summary>
internal sealed unsafe class GuestHarness : IDisposable
{
    /// <summary>A 64 KiB read-write area for arguments.</summary>
    public const ulong Scratch = 0x10000, ScratchSize = 0x10000;

    public GuestMemory Memory { get; }
    public GuestProcess Process { get; }
    public CpuContext* Ctx { get; }

    public GuestHarness(ProcessOptions? options = null)
    {
        Memory = new GuestMemory(32);
        Assert.Equal(0, Memory.MapFixed(Scratch, ScratchSize, GuestProt.Read | GuestProt.Write, "scratch"));
        Process = new GuestProcess(Memory, options ?? new ProcessOptions());
        Process.ErrorOutput = new StringWriter();
        Ctx = CpuContext.Allocate();
        Ctx->MemBase = (ulong)Memory.Base;
        Ctx->MemMask = Memory.Mask;
    }

    /// <summary>Runs syscall <paramref name="number"/> as SVC #0 would and returns X0 as a signed result.</summary>
    public long Syscall(int number, ulong a0 = 0, ulong a1 = 0, ulong a2 = 0, ulong a3 = 0, ulong a4 = 0, ulong a5 = 0)
    {
        Ctx->X[8] = (ulong)number;
        Ctx->X[0] = a0;
        Ctx->X[1] = a1;
        Ctx->X[2] = a2;
        Ctx->X[3] = a3;
        Ctx->X[4] = a4;
        Ctx->X[5] = a5;
        Ctx->Exit = ExitReason.Syscall;
        int? status = Process.HandleExit(Ctx);
        Assert.Null(status);
        return (long)Ctx->X[0];
    }

    public long Syscall(int number, long a0, long a1 = 0, long a2 = 0, long a3 = 0, long a4 = 0, long a5 = 0) =>
        Syscall(number, (ulong)a0, (ulong)a1, (ulong)a2, (ulong)a3, (ulong)a4, (ulong)a5);

    public void WriteString(ulong address, string s)
    {
        var b = Encoding.UTF8.GetBytes(s + "\0");
        Memory.WriteBytes(address, b);
    }

    public string ReadString(ulong address, int length) => Encoding.UTF8.GetString(Memory.GetSpan(address, length));

    public void Dispose()
    {
        CpuContext.Free(Ctx);
        Memory.Dispose();
    }
}
