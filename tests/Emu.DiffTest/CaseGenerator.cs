using Emu.Frontend.Decoder;

namespace Emu.DiffTest;

/// <summary>One test case: a short instruction sequence and the register state it starts from.</summary>
public sealed class DiffCase
{
    public required int Index { get; init; }
    public required uint[] Words { get; init; }
    public required Encoding[] Encodings { get; init; }
    /// <summary>Input record in <see cref="StateLayout"/> order (X0–X30, SP, NZCV, FPCR, V0–V31).</summary>
    public required byte[] Input { get; init; }
    /// <summary>Initial contents of the case's memory block.</summary>
    public required byte[] Memory { get; init; }
}

/// <summary>
/// Draws random instruction words from <see cref="A64Encodings.All"/> and random initial states.
/// Memory instructions are confined to the case's memory block: they are placed first in the sequence,
/// their base register is forced to X28 (pointing into the block) and any index register to X27 (small).
/// </summary>
public sealed class CaseGenerator
{
    public const int BaseRegister = 28;
    public const int IndexRegister = 27;

    private readonly Random _random;
    private readonly Arm64Decoder _decoder = Arm64Decoder.Instance;
    private readonly Encoding[] _memory;
    private readonly Encoding[] _other;
    private readonly Func<uint, bool> _isValid;

    /// <summary>Words dropped because an entry of <see cref="DiffExceptions"/> covers them, by exception name.</summary>
    public Dictionary<string, int> SkippedByException { get; } = [];

    /// <param name="categories">Categories from <see cref="EncodingCategories.Of"/> to draw from.</param>
    /// <param name="isValid">Independent validity check (Capstone) that rejects unallocated words.</param>
    public CaseGenerator(int seed, IReadOnlySet<string> categories, Func<uint, bool> isValid, string? encodingFilter = null)
    {
        _random = new Random(seed);
        _isValid = isValid;
        var chosen = A64Encodings.All
            .Where(e => categories.Contains(EncodingCategories.Of(e)))
            .Where(e => encodingFilter is null || e.Name.StartsWith(encodingFilter, StringComparison.OrdinalIgnoreCase))
            .ToArray();
        _memory = chosen.Where(EncodingCategories.IsMemory).ToArray();
        _other = chosen.Where(e => !EncodingCategories.IsMemory(e)).ToArray();
        if (_memory.Length + _other.Length == 0)
            throw new ArgumentException("no encodings in the selected groups");
    }

    public DiffCase Next(int index, ulong memoryAddress)
    {
        var words = new List<uint>();
        var encodings = new List<Encoding>();
        bool withMemory = _memory.Length > 0 && (_other.Length == 0 || _random.Next(3) == 0);
        if (withMemory)
        {
            var (w, e) = DrawWord(_memory, memory: true);
            words.Add(w);
            encodings.Add(e);
        }
        if (_other.Length > 0)
        {
            int count = withMemory ? _random.Next(0, 3) : _random.Next(1, 5);
            for (int i = 0; i < count; i++)
            {
                var (w, e) = DrawWord(_other, memory: false);
                words.Add(w);
                encodings.Add(e);
            }
        }

        // The initial state is checked against the state-dependent exceptions only: later instructions of the
        // sequence may change it, so those entries are exact only where nothing else writes their inputs.
        var input = RandomInput(memoryAddress, withMemory);
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            DiffException? covering = null;
            for (int i = 0; i < words.Count && covering is null; i++)
                covering = DiffExceptions.FindForInput(encodings[i], words[i], input);
            if (covering is null) break;
            SkippedByException[covering.Name] = SkippedByException.GetValueOrDefault(covering.Name) + 1;
            input = RandomInput(memoryAddress, withMemory);
        }
        var memory = new byte[StateLayout.MemorySize];
        _random.NextBytes(memory);
        return new DiffCase { Index = index, Words = [.. words], Encodings = [.. encodings], Input = input, Memory = memory };
    }

    private byte[] RandomInput(ulong memoryAddress, bool withMemory)
    {
        var input = new byte[StateLayout.InputSize];
        var span = input.AsSpan();
        for (int r = 0; r < 31; r++) StateLayout.WriteU64(span, StateLayout.X(r), RandomInteger());
        // SP points into the memory block so SP-relative address arithmetic is deterministic.
        StateLayout.WriteU64(span, StateLayout.Sp, memoryAddress + StateLayout.MemorySize / 2);
        StateLayout.WriteU64(span, StateLayout.Nzcv, (ulong)_random.Next(16) << 28);
        StateLayout.WriteU64(span, StateLayout.Fpcr, RandomFpcr());
        for (int v = 0; v < 32; v++)
        {
            StateLayout.WriteU64(span, StateLayout.V(v), RandomVectorHalf());
            StateLayout.WriteU64(span, StateLayout.V(v) + 8, RandomVectorHalf());
        }
        if (withMemory)
        {
            ulong jitter = (ulong)(_random.Next(-16, 17) * 16);
            StateLayout.WriteU64(span, StateLayout.X(BaseRegister), memoryAddress + StateLayout.MemorySize / 2 + jitter);
            StateLayout.WriteU64(span, StateLayout.X(IndexRegister), (ulong)_random.Next(0, 64));
        }
        return input;
    }

    private (uint Word, Encoding Encoding) DrawWord(Encoding[] pool, bool memory)
    {
        for (int attempt = 0; ; attempt++)
        {
            if (attempt > 100000) throw new InvalidOperationException("cannot draw a valid word from the selected encodings");
            var e = pool[_random.Next(pool.Length)];
            uint word = (e.Value & e.Mask) | ((uint)_random.NextInt64(0, 1L << 32) & ~e.Mask);
            if (memory) word = ConstrainMemory(e, word);
            if (!ReferenceEquals(_decoder.Decode(word), e)) continue;
            if (CapstoneGaps.TranslatesAsUndefined(word, out _)) continue;
            if (!_isValid(word) && !CapstoneGaps.UnknownToCapstone(e, word)) continue;
            if (memory && !RegistersAllowed(e, word)) continue;
            var exception = DiffExceptions.Find(e, word);
            if (exception is not null)
            {
                SkippedByException[exception.Name] = SkippedByException.GetValueOrDefault(exception.Name) + 1;
                continue;
            }
            return (word, e);
        }
    }

    /// <summary>Rewrites the address fields so the access stays inside the memory block.</summary>
    private uint ConstrainMemory(Encoding e, uint word)
    {
        string method = e.Emit.Method.Name;
        if (method.Contains("Literal"))
        {
            // PC-relative: stay within a few instructions of the load (the code is identical under both).
            int offset = _random.Next(-32, 33);
            return FieldCodec.Set(e, word, 'i', (uint)offset & 0x7FFFF);
        }
        word = FieldCodec.Set(e, word, 'n', BaseRegister);
        if (FieldCodec.Width(e, 'm') == 5)
            word = FieldCodec.Set(e, word, 'm', _random.Next(2) == 0 ? IndexRegister : 31u);
        if (method.Contains("UnsignedOffset"))
            word = FieldCodec.Set(e, word, 'i', FieldCodec.Get(e, word, 'i') & 0xF);
        bool exclusiveFamily = method.Contains("Exclusive") || method.Contains("Acquire") || method.Contains("Release");
        if (exclusiveFamily)
        {
            bool pair = method.Contains("Pair");
            bool statusStore = method.Contains("Exclusive") && e.Name.StartsWith("ST", StringComparison.Ordinal);
            if (!statusStore && FieldCodec.Width(e, 'r') == 5) word = FieldCodec.Set(e, word, 'r', 31);
            if (!pair && FieldCodec.Width(e, 'u') == 5) word = FieldCodec.Set(e, word, 'u', 31);
        }
        return word;
    }

    /// <summary>Rejects CONSTRAINED UNPREDICTABLE register combinations (transfer register = base or index,
    /// load pair to one register, exclusive status register overlapping the others).</summary>
    private static bool RegistersAllowed(Encoding e, uint word)
    {
        string method = e.Emit.Method.Name;
        bool exclusiveFamily = method.Contains("Exclusive") || method.Contains("Acquire") || method.Contains("Release");
        uint t = FieldCodec.Get(e, word, 't');
        if (t is BaseRegister or IndexRegister) return false;
        if (FieldCodec.Width(e, 'u') == 5 && (!exclusiveFamily || method.Contains("Pair")))
        {
            uint u = FieldCodec.Get(e, word, 'u');
            if (u is BaseRegister or IndexRegister || u == t) return false;
        }
        if (FieldCodec.Width(e, 'r') == 5 && method.Contains("Exclusive") && e.Name.StartsWith("ST", StringComparison.Ordinal))
        {
            uint s = FieldCodec.Get(e, word, 'r');
            if (s is BaseRegister or IndexRegister || s == t) return false;
            if (method.Contains("Pair") && s == FieldCodec.Get(e, word, 'u')) return false;
        }
        return true;
    }

    private ulong RandomInteger()
    {
        switch (_random.Next(12))
        {
            case 0: return 0;
            case 1: return 1;
            case 2: return ulong.MaxValue;
            case 3: return 0x8000_0000_0000_0000;
            case 4: return 0x7FFF_FFFF_FFFF_FFFF;
            case 5: return 0x8000_0000;
            case 6: return 0x7FFF_FFFF;
            case 7: return 0xFFFF_FFFF;
            case 8: return (ulong)_random.Next(0, 65);
            case 9: return (ulong)(long)_random.Next(-64, 0);
            case 10: return (ulong)_random.NextInt64(0, 1L << 32);
            default: return (ulong)_random.NextInt64() ^ ((ulong)_random.Next(2) << 63);
        }
    }

    private static readonly ulong[] s_doubleSpecials =
    [
        0x0000_0000_0000_0000, 0x8000_0000_0000_0000, // ±0
        0x7FF0_0000_0000_0000, 0xFFF0_0000_0000_0000, // ±inf
        0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0001, // quiet NaNs
        0x7FF0_0000_0000_0001, 0x7FF4_0000_0000_0000, // signalling NaNs
        0x0000_0000_0000_0001, 0x800F_FFFF_FFFF_FFFF, // denormals
        0x3FF0_0000_0000_0000, 0xBFF0_0000_0000_0000, // ±1
        0x7FEF_FFFF_FFFF_FFFF, 0x0010_0000_0000_0000, // max, min normal
    ];

    private static readonly uint[] s_singleSpecials =
    [
        0x0000_0000, 0x8000_0000, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0001,
        0x7F80_0001, 0x7FA0_0000, 0x0000_0001, 0x807F_FFFF, 0x3F80_0000, 0xBF80_0000,
        0x7F7F_FFFF, 0x0080_0000, 0x4F00_0000, 0xCF00_0000,
    ];

    private static readonly ushort[] s_halfSpecials =
    [
        0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0xFE01, 0x7C01, 0x7D00, // ±0, ±inf, quiet and signalling NaNs
        0x0001, 0x83FF, 0x0400, 0x7BFF, 0x3C00, 0xBC00, 0x3555, 0x5640, // denormals, min/max normal, ±1, 1/3, 100
        0x7800, 0xF800, 0x0200, 0x1000, // large values whose products overflow, small ones whose products underflow
    ];

    /// <summary>Four 16-bit lanes, each a half-precision special, a BFloat16 special (top of a single special) or random.</summary>
    private ulong RandomHalfLanes()
    {
        ulong r = 0;
        for (int i = 0; i < 4; i++)
        {
            ulong lane = _random.Next(3) switch
            {
                0 => s_halfSpecials[_random.Next(s_halfSpecials.Length)],
                1 => s_singleSpecials[_random.Next(s_singleSpecials.Length)] >> 16,
                _ => (ulong)_random.Next(0x10000),
            };
            r |= lane << (16 * i);
        }
        return r;
    }

    private ulong RandomVectorHalf()
    {
        switch (_random.Next(7))
        {
            case 6: return RandomHalfLanes();
            case 0: return s_doubleSpecials[_random.Next(s_doubleSpecials.Length)];
            case 1:
                return s_singleSpecials[_random.Next(s_singleSpecials.Length)]
                    | ((ulong)s_singleSpecials[_random.Next(s_singleSpecials.Length)] << 32);
            case 2: return RandomInteger();
            case 3:
                // Ordinary doubles around 1.0 so arithmetic results are ordinary too.
                return BitConverter.DoubleToUInt64Bits((_random.NextDouble() - 0.5) * Math.Pow(2, _random.Next(-20, 21)));
            default: return (ulong)_random.NextInt64() ^ ((ulong)_random.Next(2) << 63);
        }
    }

    private ulong RandomFpcr()
    {
        if (_random.Next(10) < 6) return 0;
        ulong fpcr = 0;
        if (_random.Next(2) == 0) fpcr |= 1UL << 25; // DN
        if (_random.Next(2) == 0) fpcr |= 1UL << 24; // FZ
        if (_random.Next(3) == 0) fpcr |= (ulong)_random.Next(4) << 22; // RMode
        if (_random.Next(4) == 0) fpcr |= 1UL << 19; // FZ16
        if (_random.Next(4) == 0) fpcr |= 1UL << 26; // AHP
        return fpcr;
    }
}

/// <summary>Reads and writes the lettered fields of an encoding's pattern.</summary>
public static class FieldCodec
{
    public static int Width(Encoding e, char field) => e.Pattern.Count(c => c == field);

    public static uint Get(Encoding e, uint word, char field) => e.Field(word, field);

    /// <summary>Stores <paramref name="value"/> into the field, low bit into the field's rightmost bit.</summary>
    public static uint Set(Encoding e, uint word, char field, uint value)
    {
        for (int i = 31; i >= 0; i--)
        {
            if (e.Pattern[i] != field) continue;
            int bit = 31 - i;
            word = (word & ~(1u << bit)) | ((value & 1) << bit);
            value >>= 1;
        }
        return word;
    }
}

/// <summary>Sorts encodings into the categories the tester draws from.</summary>
public static class EncodingCategories
{
    /// <summary>"control" (never generated: branches, exceptions, system), "ldst" (memory accesses),
    /// "int" (base integer data processing), or the encoding's own group for the rest ("simd", "fp", ...).</summary>
    public static string Of(Encoding e)
    {
        string type = e.Emit.Method.DeclaringType?.Name ?? "";
        if (type is "InstEmitBranch" or "InstEmitSystem") return "control";
        if (IsMemory(e)) return "ldst";
        return e.Group == "base" ? "int" : e.Group;
    }

    public static bool IsMemory(Encoding e)
    {
        string type = e.Emit.Method.DeclaringType?.Name ?? "";
        if (type is "InstEmitBranch" or "InstEmitSystem") return false;
        string method = e.Emit.Method.Name;
        return method.Contains("Load") || method.Contains("Store") || method.Contains("Literal")
            || method.Contains("Atomic") || type.Contains("Atomic");
    }
}
