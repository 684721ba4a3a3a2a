using Emu.IR;

namespace Emu.Frontend.Translation;

/// <summary>Advanced SIMD structure loads and stores: LD1-4/ST1-4 (multiple and single structures) and LD1R-LD4R.</summary>
public static partial class InstEmit
{
    /// <summary>Post-index writeback: Rm = 31 means the immediate (the bytes transferred), else Xm.</summary>
    private static void PostIndex(ArmEmitter e, uint word, uint rn, IrInst address, int bytes)
    {
        if (Bits(word, 23, 1) == 0) return;
        uint rm = Bits(word, 16, 5);
        e.SetXsp(rn, e.Ir.Add(address, rm == 31 ? e.Const((ulong)bytes) : e.GetX(rm)));
    }

    /// <summary>LD1-LD4/ST1-ST4 (multiple structures), with optional post-index: L[22], opcode[15:12], size[11:10].</summary>
    public static void SimdLoadStoreMultiple(ArmEmitter e, uint word)
    {
        bool q = Q(word), load = Bits(word, 22, 1) == 1;
        uint opcode = Bits(word, 12, 4), size = Bits(word, 10, 2), rn = Bits(word, 5, 5), rt = Bits(word, 0, 5);
        (int rpt, int selem) = opcode switch
        {
            0b0000 => (1, 4),
            0b0010 => (4, 1),
            0b0100 => (1, 3),
            0b0110 => (3, 1),
            0b0111 => (1, 1),
            0b1000 => (1, 2),
            0b1010 => (2, 1),
            _ => (0, 0),
        };
        if (rpt == 0 || (size == 3 && !q && selem > 1))
        {
            e.Undefined();
            return;
        }
        int regBytes = q ? 16 : 8;
        var address = e.GetXsp(rn);
        if (selem == 1)
        {
            // LD1/ST1 of consecutive registers: each register is a contiguous block.
            for (int r = 0; r < rpt; r++)
            {
                var a = AddOffset(e, address, r * regBytes);
                int reg = (int)((rt + r) % 32);
                if (load) e.Ir.SetVec(reg, e.Ir.LoadVec(a, regBytes));
                else e.Ir.StoreVec(a, e.Ir.GetVec(reg), regBytes);
            }
        }
        else
        {
            var consts = new[] { e.Const((ulong)selem), e.Const(size), e.Const(q ? 1UL : 0) };
            if (load)
            {
                var chunks = new IrInst[4];
                for (int k = 0; k < 4; k++)
                    chunks[k] = k < selem ? e.Ir.LoadVec(AddOffset(e, address, k * regBytes), regBytes) : chunks[0];
                var values = new IrInst[selem];
                for (int s = 0; s < selem; s++)
                    values[s] = Simd(e, nameof(SimdHelpers.Deinterleave), chunks[0], chunks[1], chunks[2], chunks[3],
                        consts[0], consts[1], consts[2], e.Const((ulong)s));
                for (int s = 0; s < selem; s++) e.Ir.SetVec((int)((rt + s) % 32), values[s]);
            }
            else
            {
                var regs = new IrInst[4];
                for (int k = 0; k < 4; k++) regs[k] = e.Ir.GetVec((int)((rt + Math.Min(k, selem - 1)) % 32));
                for (int k = 0; k < selem; k++)
                {
                    var chunk = Simd(e, nameof(SimdHelpers.Interleave), regs[0], regs[1], regs[2], regs[3],
                        consts[0], consts[1], consts[2], e.Const((ulong)k));
                    e.Ir.StoreVec(AddOffset(e, address, k * regBytes), chunk, regBytes);
                }
            }
        }
        PostIndex(e, word, rn, address, rpt * selem * regBytes);
    }

    /// <summary>
    /// LD1-LD4/ST1-ST4 (single structure) and LD1R-LD4R, with optional post-index: L[22], R[21],
    /// opcode[15:13], S[12], size[11:10].
    /// </summary>
    public static void SimdLoadStoreSingle(ArmEmitter e, uint word)
    {
        bool q = Q(word), load = Bits(word, 22, 1) == 1;
        uint opcode = Bits(word, 13, 3), s = Bits(word, 12, 1), size = Bits(word, 10, 2);
        uint rn = Bits(word, 5, 5), rt = Bits(word, 0, 5);
        int selem = (int)(((opcode & 1) << 1) | Bits(word, 21, 1)) + 1;
        int scale = (int)(opcode >> 1);
        bool replicate = false;
        uint index = 0;
        bool ok = true;
        switch (scale)
        {
            case 3:
                ok = load && s == 0;
                scale = (int)size;
                replicate = true;
                break;
            case 0:
                index = (Q(word) ? 8u : 0) | (s << 2) | size;
                break;
            case 1:
                ok = (size & 1) == 0;
                index = (Q(word) ? 4u : 0) | (s << 1) | (size >> 1);
                break;
            default:
                ok = (size & 2) == 0 && ((size & 1) == 0 || s == 0);
                if ((size & 1) == 0)
                    index = (Q(word) ? 2u : 0) | s;
                else
                {
                    scale = 3;
                    index = Q(word) ? 1u : 0;
                }
                break;
        }
        if (!ok)
        {
            e.Undefined();
            return;
        }
        int ebytes = 1 << scale;
        var address = e.GetXsp(rn);
        var sizeC = e.Const((ulong)scale);
        var values = new IrInst[selem];
        for (int k = 0; k < selem; k++)
        {
            var a = AddOffset(e, address, k * ebytes);
            int reg = (int)((rt + k) % 32);
            if (replicate)
                values[k] = Simd(e, nameof(SimdHelpers.Dup), e.Ir.Load(a, ebytes), sizeC);
            else if (load)
                values[k] = Simd(e, nameof(SimdHelpers.InsertLane), e.Ir.GetVec(reg), e.Ir.Load(a, ebytes), e.Const(index), sizeC);
            else
                e.Ir.Store(a, Simd(e, nameof(SimdHelpers.ExtractLane), e.Ir.GetVec(reg), e.Const(index), sizeC), ebytes);
        }
        if (load)
            for (int k = 0; k < selem; k++)
            {
                uint reg = (rt + (uint)k) % 32;
                if (replicate) SetVecQ(e, reg, values[k], q);
                else e.Ir.SetVec((int)reg, values[k]);
            }
        PostIndex(e, word, rn, address, selem * ebytes);
    }
}
