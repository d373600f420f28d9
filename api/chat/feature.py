"""The chat's own rows: each person's conversation and the Telegram updates already handled.

Not a feature a vecino sees, but declared like one: its pruning jobs run with the
others (also the shared counters', which hold a hash of chats that missed a code), and
/borrar covers its rows (the conversation goes with the member; a deleted
person's handled updates are dropped by api/barrios/directory.py).
"""

from api.chat.models import Conversation
from api.chat.service import prune_handled_updates
from api.kernel.feature import Feature, PersonalData
from api.kernel.shared_limits import prune_counters

FEATURE = Feature(
    name="chat",
    jobs=(prune_handled_updates, prune_counters),  # the counters: codes a chat missed, failed logins by address
    personal_data=(PersonalData("conversation", (Conversation,)),),
)
