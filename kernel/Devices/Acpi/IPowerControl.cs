namespace Hv.Devices.Acpi
{
    /// <summary>
    /// What the guest's power and reset controls do to its VM; the lead implements it on the Vm. Called
    /// on the VM-exit path with the platform lock held: request the stop or reset and return (no
    /// waiting for other vCPUs here).
    /// </summary>
    public interface IPowerControl
    {
        /// <summary>The guest entered S5 (PM1_CNT: SLP_EN with SLP_TYP = PmLayout.SlpTypS5): ACPI power-off.</summary>
        void PowerOff();

        /// <summary>The guest reset the platform (port 0xCF9, the FADT RESET_REG).</summary>
        void Reset();
    }
}
