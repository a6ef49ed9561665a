// The table walk shared by the three paging modes, and the access-rights check (SDM Vol. 3A §4.3
// 32-bit paging, §4.4 PAE, §4.5 4-level, §4.6 access rights, §4.7 page-fault error code).
namespace Hv.Virt
{
    public readonly partial struct GuestPageWalker
    {
        /// <summary>
        /// Walks from the table at <paramref name="table"/> whose index starts at bit <paramref name="shift"/>
        /// (39 for a PML4, 21 for a PAE page directory, 22 for a 32-bit page directory) down to the page.
        /// </summary>
        private LinearTranslation Levels(ulong table, ulong linear, int shift, ref Walk w, out ulong gpa)
        {
            gpa = 0;
            bool wide = w.EntrySize == 8;
            int indexBits = wide ? 9 : 10;
            ulong indexMask = (1UL << indexBits) - 1;
            for (; ; shift -= indexBits)
            {
                ulong slot = table + ((linear >> shift) & indexMask) * (ulong)w.EntrySize;
                if (!_memory.ReadUInt64(slot, w.EntrySize, out ulong e))
                    return LinearTranslation.NotInRam;
                if ((e & (ulong)PageEntryBits.Present) == 0) { w.NotPresent = true; return LinearTranslation.PageFault; }
                if (wide && ((e & ReservedHigh) != 0 || ((e & (ulong)PageEntryBits.ExecuteDisable) != 0 && !w.Nxe)))
                    return Reserved(ref w);
                if ((e & (ulong)PageEntryBits.ExecuteDisable) != 0)
                    w.NoExecute = true;
                if ((e & (ulong)PageEntryBits.Writable) == 0)
                    w.Writable = false;
                if ((e & (ulong)PageEntryBits.User) == 0)
                    w.User = false;

                bool last = shift == 12;
                bool large = !last && (e & (ulong)PageEntryBits.LargePage) != 0 && (wide || w.Pse);
                if (large && wide && shift == 39)
                    return Reserved(ref w);                 // PS is reserved in a PML4E
                if (!large && !last)
                {
                    table = wide ? e & AddressMask : e & 0xFFFF_F000;
                    continue;
                }
                ulong pageMask = (1UL << shift) - 1;
                ulong frame;
                if (!large)
                    frame = wide ? e & AddressMask : e & 0xFFFF_F000;
                else if (wide)
                {
                    if ((e & pageMask & ~0x1FFFUL) != 0)    // bits shift-1..13 of a 2M/1G entry (12 is PAT)
                        return Reserved(ref w);
                    frame = e & AddressMask & ~pageMask;
                }
                else
                {
                    // 4 MiB page (Table 4-4): address bits 31:22 from 31:22, 39:32 from 20:13 (PSE-36); 21 reserved.
                    ulong high = (e >> 13) & 0xFF;
                    if ((e & (1UL << 21)) != 0 || (high >> (_physicalAddressBits - 32)) != 0)
                        return Reserved(ref w);
                    frame = (e & 0xFFC0_0000) | (high << 32);
                }
                gpa = frame | (linear & pageMask);
                return LinearTranslation.Ok;
            }
        }

        private static LinearTranslation Reserved(ref Walk w)
        {
            w.Reserved = true;
            return LinearTranslation.PageFault;
        }

        /// <summary>Access rights of a completed walk (§4.6).</summary>
        private LinearTranslation Check(ref Walk w, AccessKind access, ulong cr0, ulong cr4, out uint errorCode)
        {
            errorCode = 0;
            bool write = access == AccessKind.Write, fetch = access == AccessKind.Execute;
            bool fault;
            if (_state.Cpl == 3)
                fault = !w.User || (write && !w.Writable);
            else
            {
                fault = write && !w.Writable && (cr0 & (ulong)Cr0Bits.WriteProtect) != 0;
                if (w.User && fetch && (cr4 & (ulong)Cr4Bits.Smep) != 0)
                    fault = true;
                if (w.User && !fetch && (cr4 & (ulong)Cr4Bits.Smap) != 0
                    && (_state.Get(GuestRegister.Rflags) & (ulong)RflagsBits.AlignmentCheck) == 0)
                    fault = true;
            }
            if (fetch && w.NoExecute)
                fault = true;
            if (!fault)
                return LinearTranslation.Ok;
            errorCode = (uint)PageFaultErrorCode.Present | Code(ref w, access, cr4);
            return LinearTranslation.PageFault;
        }

        /// <summary>Error code of a walk that stopped early: P = 0 for not present, P = RSVD = 1 for a reserved bit.</summary>
        private LinearTranslation Fail(LinearTranslation r, ref Walk w, AccessKind access, ulong cr4, out uint errorCode)
        {
            errorCode = 0;
            if (r != LinearTranslation.PageFault)
                return r;
            errorCode = Code(ref w, access, cr4);
            if (w.Reserved)
                errorCode |= (uint)(PageFaultErrorCode.Present | PageFaultErrorCode.ReservedBit);
            return r;
        }

        /// <summary>W/R, U/S and I/D bits: I/D only when NX is in use or SMEP is on (§4.7).</summary>
        private uint Code(ref Walk w, AccessKind access, ulong cr4)
        {
            uint code = 0;
            if (access == AccessKind.Write)
                code |= (uint)PageFaultErrorCode.Write;
            if (_state.Cpl == 3)
                code |= (uint)PageFaultErrorCode.User;
            if (access == AccessKind.Execute && ((w.EntrySize == 8 && w.Nxe) || (cr4 & (ulong)Cr4Bits.Smep) != 0))
                code |= (uint)PageFaultErrorCode.InstructionFetch;
            return code;
        }
    }
}
