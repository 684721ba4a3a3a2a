using Emu.Cpu;
using Emu.Frontend.Decoder;
using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>Reads guest instruction words; returns false where the address is not executable.</summary>
public delegate bool InstructionFetcher(ulong address, out uint word);

/// <summary>Decodes guest instructions from a PC up to the first control transfer and builds the block's IR.</summary>
public sealed class BlockTranslator
{
    private readonly Arm64Decoder _decoder;
    private readonly InstructionFetcher _fetch;

    public BlockTranslator(Arm64Decoder decoder, InstructionFetcher fetch)
    {
        _decoder = decoder;
        _fetch = fetch;
    }

    /// <summary>Translates the block at <paramref name="pc"/>; at most <paramref name="maxInstructions"/> guest instructions.</summary>
    public IrBlock Translate(ulong pc, int maxInstructions = 256)
    {
        var block = new IrBlock(pc);
        var ir = new IrBuilder(block);
        var e = new ArmEmitter(ir);
        int count = 0;
        while (true)
        {
            ir.CurrentPc = pc;
            e.Pc = pc;
            if (!_fetch(pc, out uint word))
            {
                ir.Exit(ExitReason.FetchFault, pc);
                break;
            }
            var enc = _decoder.Decode(word);
            if (enc == null) e.Undefined();
            else enc.Emit(e, word);
            count++;
            pc += 4;
            if (ir.Ended) break;
            if (count >= maxInstructions)
            {
                ir.Jump(pc);
                break;
            }
        }
        block.EndPc = pc;
        block.GuestInstructionCount = count;
        return block;
    }
}
