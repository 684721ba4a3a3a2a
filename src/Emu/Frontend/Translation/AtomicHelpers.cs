using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Emu.Cpu;
using Emu.Jit;
using Emu.Linux.Native;

namespace Emu.Frontend.Translation;

/// <summary>
/// LSE atomics (LD&lt;op&gt;, SWP, CAS, CASP) as host atomic operations on the guest memory, so they are
/// atomic against other guest threads. Every host interlocked operation is a full barrier, which covers
/// all of the acquire/release variants. 8- and 4-byte accesses use Interlocked directly; 1- and 2-byte
/// accesses use a compare-exchange loop on the containing aligned 4-byte word; 16-byte pairs use the host's
/// 16-byte compare-exchange (lock cmpxchg16b), so they are atomic against every other guest access. Without
/// FEAT_LSE2 every access must be aligned to its size (the whole pair for CASP): otherwise an alignment fault.
/// </summary>
public static unsafe class AtomicHelpers
{
    /// <summary>The read-modify-write operations, numbered as the LD&lt;op&gt; opc field (SWP is 8).</summary>
    public enum RmwOp : ulong
    {
        Add = 0,
        Clr = 1,
        Eor = 2,
        Set = 3,
        SMax = 4,
        SMin = 5,
        UMax = 6,
        UMin = 7,
        Swp = 8,
    }

    // Straddling 1/2-byte updates (unreachable while alignment is enforced) run under this lock.
    private static readonly object StraddleLock = new();

    [ThreadStatic] private static ulong _pairHigh;

    /// <summary>
    /// x86-64 code for int Cas16(ulong* p, ulong* expected, ulong newLow, ulong newHigh): lock cmpxchg16b on the
    /// 16-byte-aligned p; stores the old value into expected[0..1]; returns 1 if it matched (and was replaced).
    /// .NET has no 16-byte Interlocked, so the instruction lives in an executable page of its own.
    /// </summary>
    private static readonly delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong, ulong, int> Cas16Stub = CreateCas16Stub();

    private static delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong, ulong, int> CreateCas16Stub()
    {
        byte[] code =
        [
            0x53,                         // push rbx
            0x48, 0x89, 0xD3,             // mov rbx, rdx          ; new low
            0x49, 0x89, 0xF0,             // mov r8, rsi           ; expected
            0x49, 0x8B, 0x00,             // mov rax, [r8]
            0x49, 0x8B, 0x50, 0x08,       // mov rdx, [r8+8]       ; rcx = new high already
            0xF0, 0x48, 0x0F, 0xC7, 0x0F, // lock cmpxchg16b [rdi]
            0x49, 0x89, 0x00,             // mov [r8], rax         ; old value
            0x49, 0x89, 0x50, 0x08,       // mov [r8+8], rdx
            0x0F, 0x94, 0xC0,             // sete al
            0x0F, 0xB6, 0xC0,             // movzx eax, al
            0x5B,                         // pop rbx
            0xC3,                         // ret
        ];
        nint page = LibC.Mmap(0, 4096, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        if (page == LibC.MAP_FAILED) throw new InvalidOperationException("cannot map the 16-byte compare-exchange stub");
        Marshal.Copy(code, 0, page, code.Length);
        if (LibC.Mprotect(page, 4096, LibC.PROT_READ | LibC.PROT_EXEC) != 0)
            throw new InvalidOperationException("cannot make the 16-byte compare-exchange stub executable");
        return (delegate* unmanaged[SuppressGCTransition]<ulong*, ulong*, ulong, ulong, int>)page;
    }

    /// <summary>
    /// Atomic 16-byte compare-exchange at the 16-byte-aligned host address <paramref name="p"/>: if it holds
    /// (expectedLow, expectedHigh) it becomes (newLow, newHigh). Returns whether it did; old gets the previous value.
    /// The page is first probed from managed code with a no-op 8-byte compare-exchange, so an unmapped or
    /// read-only guest page faults there (a guest SIGSEGV), never inside the native stub.
    /// </summary>
    public static bool CompareExchange16(byte* p, ulong expectedLow, ulong expectedHigh, ulong newLow, ulong newHigh, out ulong oldLow, out ulong oldHigh)
    {
        Interlocked.CompareExchange(ref *(ulong*)p, 0, 0);
        ulong* expected = stackalloc ulong[2];
        expected[0] = expectedLow;
        expected[1] = expectedHigh;
        bool done = Cas16Stub((ulong*)p, expected, newLow, newHigh) != 0;
        oldLow = expected[0];
        oldHigh = expected[1];
        return done;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte* Host(CpuContext* ctx, ulong address) => (byte*)(ctx->MemBase + (address & ctx->MemMask));

    private static ulong Mask(int bytes) => bytes == 8 ? ulong.MaxValue : (1UL << (bytes * 8)) - 1;

    private static long Signed(ulong v, int bytes) => (long)(v << (64 - bytes * 8)) >> (64 - bytes * 8);

    /// <summary>The new memory value for <paramref name="op"/> on the old value and the register operand (both of <paramref name="bytes"/>).</summary>
    public static ulong Apply(RmwOp op, ulong old, ulong operand, int bytes)
    {
        ulong r = op switch
        {
            RmwOp.Add => old + operand,
            RmwOp.Clr => old & ~operand,
            RmwOp.Eor => old ^ operand,
            RmwOp.Set => old | operand,
            RmwOp.SMax => Signed(old, bytes) >= Signed(operand, bytes) ? old : operand,
            RmwOp.SMin => Signed(old, bytes) <= Signed(operand, bytes) ? old : operand,
            RmwOp.UMax => (old & Mask(bytes)) >= (operand & Mask(bytes)) ? old : operand,
            RmwOp.UMin => (old & Mask(bytes)) <= (operand & Mask(bytes)) ? old : operand,
            _ => operand,
        };
        return r & Mask(bytes);
    }

    /// <summary>LD&lt;op&gt;/SWP: atomically replaces memory with op(old, operand); returns the old value zero-extended.</summary>
    public static ulong ReadModifyWrite(CpuContext* ctx, ulong address, ulong operand, ulong op, ulong bytes)
    {
        AlignmentCheck.Require(address, bytes);
        byte* p = Host(ctx, address);
        var kind = (RmwOp)op;
        int size = (int)bytes;
        switch (size)
        {
            case 8:
                {
                    ref ulong cell = ref *(ulong*)p;
                    switch (kind)
                    {
                        case RmwOp.Add: return Interlocked.Add(ref cell, operand) - operand;
                        case RmwOp.Clr: return Interlocked.And(ref cell, ~operand);
                        case RmwOp.Set: return Interlocked.Or(ref cell, operand);
                        case RmwOp.Swp: return Interlocked.Exchange(ref cell, operand);
                    }
                    while (true)
                    {
                        ulong old = Volatile.Read(ref cell);
                        if (Interlocked.CompareExchange(ref cell, Apply(kind, old, operand, 8), old) == old) return old;
                    }
                }
            case 4:
                {
                    ref uint cell = ref *(uint*)p;
                    uint o = (uint)operand;
                    switch (kind)
                    {
                        case RmwOp.Add: return (uint)(Interlocked.Add(ref cell, o) - o);
                        case RmwOp.Clr: return Interlocked.And(ref cell, ~o);
                        case RmwOp.Set: return Interlocked.Or(ref cell, o);
                        case RmwOp.Swp: return Interlocked.Exchange(ref cell, o);
                    }
                    while (true)
                    {
                        uint old = Volatile.Read(ref cell);
                        if (Interlocked.CompareExchange(ref cell, (uint)Apply(kind, old, operand, 4), old) == old) return old;
                    }
                }
            default:
                return SmallUpdate(p, size, kind, operand, compare: false, expected: 0);
        }
    }

    /// <summary>CAS: stores <paramref name="value"/> if memory equals <paramref name="expected"/>; returns the old value.</summary>
    public static ulong CompareAndSwap(CpuContext* ctx, ulong address, ulong expected, ulong value, ulong bytes)
    {
        AlignmentCheck.Require(address, bytes);
        byte* p = Host(ctx, address);
        int size = (int)bytes;
        switch (size)
        {
            case 8:
                return Interlocked.CompareExchange(ref *(ulong*)p, value, expected);
            case 4:
                return ZeroExtend(Interlocked.CompareExchange(ref *(uint*)p, (uint)value, (uint)expected));
            default:
                return SmallUpdate(p, size, RmwOp.Swp, value, compare: true, expected & Mask(size));
        }
    }

    // The optimizing JIT returned the 32-bit compare-exchange result with the comparand's upper 32 bits still
    // in the register (seen after a successful CAS W in the Release build); a call that is not inlined makes
    // the zero-extension explicit.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ulong ZeroExtend(uint value) => value;

    /// <summary>
    /// CASP: compares the pair at <paramref name="address"/> (two values of <paramref name="bytes"/> = 4 or 8)
    /// with (expectedLow, expectedHigh) and stores (low, high) if equal. Returns the old first value; the old
    /// second value is read back with <see cref="CompareAndSwapPairHigh"/>.
    /// </summary>
    public static ulong CompareAndSwapPair(CpuContext* ctx, ulong address, ulong expectedLow, ulong expectedHigh, ulong low, ulong high, ulong bytes)
    {
        AlignmentCheck.Require(address, bytes * 2);
        byte* p = Host(ctx, address);
        if (bytes == 4)
        {
            ulong expected = (uint)expectedLow | (expectedHigh << 32);
            ulong updated = (uint)low | (high << 32);
            ulong old = Interlocked.CompareExchange(ref *(ulong*)p, updated, expected);
            _pairHigh = old >> 32;
            return (uint)old;
        }
        CompareExchange16(p, expectedLow, expectedHigh, low, high, out ulong oldLow, out ulong oldHigh);
        _pairHigh = oldHigh;
        return oldLow;
    }

    /// <summary>The old second value read by the preceding <see cref="CompareAndSwapPair"/> on this thread.</summary>
    public static ulong CompareAndSwapPairHigh() => _pairHigh;

    // 1- and 2-byte atomic update through the containing aligned 32-bit word; returns the old value.
    // With compare set it is a CAS: the update (a swap with operand) happens only if old == expected.
    private static ulong SmallUpdate(byte* p, int bytes, RmwOp kind, ulong operand, bool compare, ulong expected)
    {
        ulong Update(ulong old) => compare ? (old == expected ? operand : old) : Apply(kind, old, operand, bytes);

        int shift = (int)((ulong)p & 3) * 8;
        uint mask = bytes == 1 ? 0xFFu : 0xFFFFu;
        if (shift + bytes * 8 > 32)
        {
            // A halfword straddling a word (misaligned; ARM would fault without LSE2): best effort under the lock.
            lock (StraddleLock)
            {
                ulong o = Unsafe.ReadUnaligned<ushort>(p);
                Unsafe.WriteUnaligned(p, (ushort)Update(o));
                return o;
            }
        }
        uint* word = (uint*)((ulong)p & ~3UL);
        while (true)
        {
            uint oldWord = Volatile.Read(ref *word);
            ulong old = (oldWord >> shift) & mask;
            uint updated = (oldWord & ~(mask << shift)) | (((uint)Update(old) & mask) << shift);
            if (Interlocked.CompareExchange(ref *word, updated, oldWord) == oldWord) return old;
        }
    }
}
