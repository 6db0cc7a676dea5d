import { useI18n } from "../lib/i18n";
import { navigate } from "../lib/router";

/** Leaves the LiveKit room, then goes back to the start page. */
export function LeaveButton({ leave }: { leave: () => Promise<void> }) {
  const { t } = useI18n();
  return (
    <button
      className="secondary"
      onClick={async () => {
        await leave();
        navigate("/");
      }}
    >
      {t("leave")}
    </button>
  );
}
