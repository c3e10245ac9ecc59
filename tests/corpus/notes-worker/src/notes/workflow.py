"""Export workflow: gather notes, render, upload."""

import random
import uuid

from workers import WorkflowEntrypoint


class ExportNotes(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("gather")
        async def gather():
            rows = await self.env.DB.prepare("SELECT * FROM notes").all()
            return rows

        @step.do(f"render-{uuid.uuid4()}")
        async def render():
            return {"html": "<ul></ul>", "pick": random.choice([1, 2, 3])}

        data = await gather()
        step.sleep("pause", "1 minute")
        return await render()
