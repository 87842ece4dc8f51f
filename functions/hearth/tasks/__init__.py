"""Follow-up tasks: staff add them and mark them done; the sweep marks the overdue.

Decides who may add or finish a task (the owner any; a rep only for their own
customer, or their own task) and what a task holds, and writes through
hearth.store.tasks, the one writer of the collection, which puts every task and every
Done on the customer's timeline in the same commit. ``sweep`` is the scheduled pass
(it runs the automations first). Imports rules, store, errors and config;
never Flask: hearth.web.tasks is its HTTP side.
"""

from hearth.tasks.service import NewTask, add, check_staff, complete, sweep, usable_task_id

__all__ = ["NewTask", "add", "check_staff", "complete", "sweep", "usable_task_id"]
