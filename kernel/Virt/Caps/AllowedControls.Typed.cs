namespace Hv.Virt.Caps
{
    // Typed overloads of AllowedControls so callers pass the SDM-named flags of the field they are
    // computing; each one forwards to the uint version in AllowedControls.cs.
    public readonly partial struct AllowedControls
    {
        public bool CanSet(PinBasedControls bits) => CanSet((uint)bits);
        public bool CanClear(PinBasedControls bits) => CanClear((uint)bits);
        public bool MustSet(PinBasedControls bits) => MustSet((uint)bits);
        public bool TryCompute(PinBasedControls required, PinBasedControls optional, out PinBasedControls value, out PinBasedControls unsupported)
        {
            bool ok = TryCompute((uint)required, (uint)optional, out uint v, out uint u);
            value = (PinBasedControls)v;
            unsupported = (PinBasedControls)u;
            return ok;
        }

        public bool CanSet(PrimaryProcBasedControls bits) => CanSet((uint)bits);
        public bool CanClear(PrimaryProcBasedControls bits) => CanClear((uint)bits);
        public bool MustSet(PrimaryProcBasedControls bits) => MustSet((uint)bits);
        public bool TryCompute(PrimaryProcBasedControls required, PrimaryProcBasedControls optional, out PrimaryProcBasedControls value, out PrimaryProcBasedControls unsupported)
        {
            bool ok = TryCompute((uint)required, (uint)optional, out uint v, out uint u);
            value = (PrimaryProcBasedControls)v;
            unsupported = (PrimaryProcBasedControls)u;
            return ok;
        }

        public bool CanSet(SecondaryProcBasedControls bits) => CanSet((uint)bits);
        public bool CanClear(SecondaryProcBasedControls bits) => CanClear((uint)bits);
        public bool MustSet(SecondaryProcBasedControls bits) => MustSet((uint)bits);
        public bool TryCompute(SecondaryProcBasedControls required, SecondaryProcBasedControls optional, out SecondaryProcBasedControls value, out SecondaryProcBasedControls unsupported)
        {
            bool ok = TryCompute((uint)required, (uint)optional, out uint v, out uint u);
            value = (SecondaryProcBasedControls)v;
            unsupported = (SecondaryProcBasedControls)u;
            return ok;
        }

        public bool CanSet(ExitControls bits) => CanSet((uint)bits);
        public bool CanClear(ExitControls bits) => CanClear((uint)bits);
        public bool MustSet(ExitControls bits) => MustSet((uint)bits);
        public bool TryCompute(ExitControls required, ExitControls optional, out ExitControls value, out ExitControls unsupported)
        {
            bool ok = TryCompute((uint)required, (uint)optional, out uint v, out uint u);
            value = (ExitControls)v;
            unsupported = (ExitControls)u;
            return ok;
        }

        public bool CanSet(EntryControls bits) => CanSet((uint)bits);
        public bool CanClear(EntryControls bits) => CanClear((uint)bits);
        public bool MustSet(EntryControls bits) => MustSet((uint)bits);
        public bool TryCompute(EntryControls required, EntryControls optional, out EntryControls value, out EntryControls unsupported)
        {
            bool ok = TryCompute((uint)required, (uint)optional, out uint v, out uint u);
            value = (EntryControls)v;
            unsupported = (EntryControls)u;
            return ok;
        }
    }
}
