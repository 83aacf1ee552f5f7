"""Fictional written answers for the demo cohort (``repairlab demo-cohort``), by task: two strong, two mixed and
two weak each, written for the demo alone (never taken from the solutions, the calibration sets or the coach banks),
so a supervisor trying ``repairlab mark`` reads answers that differ as trainees' do."""

ANSWERS: dict[str, dict[str, tuple[str, ...]]] = {
    "written-repair": {
        "strong": (
            (
                "Tomás, I'm sorry: my eyes went to my phone right in the middle of you describing the train. I "
                'imagine it felt as if a message was more important to me than what happened to you, and it '
                "isn't. I'm switching it off now and it stays off in our sessions. Could you tell me how that was"
                ' for you, and then where you had got to on the train?'
            ),
            (
                'Thank you for saying that. My phone buzzed and I checked it while you were describing something '
                'frightening, and I can see it left you feeling you were in the way. From now on my phone goes in'
                ' my bag before we start. Are you OK to carry on, or do you want to say something about what just'
                ' happened?'
            ),
        ),
        "mixed": (
            (
                "I'm really sorry, I got distracted for a second there. I'm not busy at all and I want to hear "
                'about the train. Please go on.'
            ),
            (
                "My phone went off and I looked at it, which wasn't fair on you. I'll put it on silent. So, the "
                'panic attack started when the doors closed?'
            ),
        ),
        "weak": (
            (
                "No no, I'm not busy, that was only a reminder popping up. Keep going, you were on the train."
            ),
            (
                "I'm so sorry, I'm a terrible listener, I really shouldn't be doing this job if I can't even keep"
                ' my phone away. I feel awful.'
            ),
        ),
    },
    "written-attribution-check": {
        "strong": (
            (
                '1. My own part: in session 4 I described his plan to teach PE as an escape, and he went quiet '
                'straight after it, although the plan is plainly something he is excited about. 2. Culture and '
                'language: our sessions are not in his first language, and he told me feelings are tiring to put '
                'into English; as a white British therapist new to Hong Kong I may also be missing how '
                'disagreeing with a professional would feel for him. I would check both with him. 3. Work: his '
                'new project keeps him at the office late, which might be why he arrived late. To Daniel: '
                '"Something I said last session has stayed with me: I called your plan an escape. I think that '
                'was unfair to something that matters a lot to you. How did it land for you?"'
            ),
            (
                'Other explanations: he may be exhausted from the long hours on the new project (he said it has '
                'late meetings), and I may have hurt him by saying the plan sounded like an escape, since he '
                'withdrew right after. There could also be something about talking in English, which he says '
                "tires him, and about me being an outsider here: I'd want to ask him rather than assume. I'd say:"
                ' "You seemed quieter after I said that about the plan last week. I wonder if I got that wrong. '
                'Would you tell me how it was for you?"'
            ),
        ),
        "mixed": (
            (
                'He might just be tired from work, he mentioned long hours. Also I was maybe a bit harsh about '
                'the plan. I\'d say: "Is everything OK? You seem a bit quiet today, is work busy?"'
            ),
            (
                'My escape comment could have upset him, as he went quiet after it. Culture could play a part '
                'too. I\'d say to him: "I think I might have been too quick to judge your plan. Sorry about that."'
            ),
        ),
        "weak": (
            (
                'I think it is mostly his father. He stopped telling his father things as a teenager and he has '
                'stopped telling me things too, which is transference. I would gently point out this pattern to '
                'him.'
            ),
            (
                'He could be depressed, which causes withdrawal. I would ask him to fill in a mood questionnaire '
                'and see whether his medication needs reviewing.'
            ),
        ),
    },
    "written-metacommunication": {
        "strong": (
            (
                "Rosa, can I stop us for a second? I've just spent most of our last minutes going through this "
                'sheet, and I notice you\'ve got your keys in your hand and said "got it" without a single '
                "question, which isn't like you. I wonder if I rushed you. How has the last few minutes been for "
                'you?'
            ),
            (
                'Before you go, I want to say something about what just happened. I think I loaded a lot onto you'
                " right at the end, and you went quiet in a way you usually don't with numbers. Am I reading that"
                ' right, or is something else going on?'
            ),
        ),
        "mixed": (
            (
                'Looks like you need to get off quickly. Is everything all right? We can go through the sheet '
                'again next time if that helps.'
            ),
            (
                "I notice you don't have any questions about the sheet, which is unusual for you. Maybe it was "
                'too much. See you in two weeks.'
            ),
        ),
        "weak": (
            (
                'Great, same time in two weeks then. Remember the ratings after every drive, even the short ones.'
            ),
            (
                "I think you're avoiding the exposure work because it makes you anxious, which is normal. Let's "
                'talk about that next time.'
            ),
        ),
    },
    "written-confrontation": {
        "strong": (
            (
                "Thank you for stopping me, Hoa. You're right: three times last week, when you told me what your "
                'manager did, I asked what you could do differently, and I can see how that sounded like I was '
                "blaming you. I don't think this is your fault, and I don't want to be another person who "
                "overrules you. Can you tell me more about what it's been like, sitting here with me?"
            ),
            (
                "You've put your finger on something real. I kept turning the conversation back to you when you "
                "were telling me how you were treated, and that's on me. I'd like to hear properly what she has "
                'been doing before we think about anything else. Does that feel right, or is there more you want '
                'to say about how these sessions have felt?'
            ),
        ),
        "mixed": (
            (
                "I'm sorry it came across like that, that wasn't what I meant. I was only trying to help you find"
                ' some options. Shall we just focus on what happened with your manager this week?'
            ),
            (
                "Fair point, I have been asking that a lot. I'll stop doing it. So what happened this week?"
            ),
        ),
        "weak": (
            (
                "I'm not saying it's your fault, I'm just trying to help you cope. We can't change your manager, "
                'so it makes sense to look at what is in your control.'
            ),
            (
                "It sounds like you're feeling very angry. I wonder if that anger at your manager is coming into "
                'the room with me as well.'
            ),
        ),
    },
    "written-cultural-repair": {
        "strong": (
            (
                'Bao, before we start I want to come back to something from last week. You mentioned that exams '
                "against the clock have been hard for you for years, and I answered that I'd have guessed they "
                'were never a problem for you. I had no reason for that guess except a stereotype about Asian '
                "Americans, and I think it made you feel unseen. I'm sorry. I want to understand how exams have "
                'actually been for you. How was it for you when I said that?'
            ),
            (
                "I owe you an apology for last session. When I said I'd have guessed exams were easy for you, I "
                'was leaning on an assumption about Asian Americans rather than listening to you, and then I '
                "moved on when you asked me why. I'll watch for that. Would you be willing to tell me how that "
                'landed?'
            ),
        ),
        "mixed": (
            (
                "I'm sorry about my comment last week, it wasn't appropriate. I'd like to go back to your study "
                "plan and see how it's going."
            ),
            (
                "Last time I jumped to a conclusion about you and exams, and I shouldn't have. Everyone is "
                'different. Can we talk about what makes timed exams hard for you?'
            ),
        ),
        "weak": (
            (
                "I hope you didn't take my comment the wrong way last week, I meant it as a compliment. Let's get"
                ' going with the study plan.'
            ),
            (
                'I want to apologise if I offended you in any way. Cultural differences can be tricky. How has '
                'your week been?'
            ),
        ),
    },
}
