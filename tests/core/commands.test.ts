import { detectCommand } from '../../src/core/commands';

describe('detectCommand', () => {
  it.each([
    ['help', 'help'],
    ['HELP!', 'help'],
    ['what can you do?', 'help'],
    ['start over', 'start-over'],
    ['can we start over please', 'start-over'],
    ['restart', 'start-over'],
    ['cancel', 'cancel'],
    ['never mind', 'cancel'],
    ['I want to talk to a real person', 'talk-to-person'],
    ['can i speak with someone from admissions', 'talk-to-person'],
    ['human please', 'talk-to-person'],
    ['call me', 'talk-to-person'],
    ['None of these', 'none-of-these'],
    ['take the quiz', 'start-screening'],
    ['what program should my daughter do', 'start-screening'],
    ['what kind of program do i need?', 'start-screening'],
    ['can you tell me what program i need', 'start-screening'],
    ['which program would be best for me', 'start-screening'],
  ])('when a visitor writes %j, then the command is %s', (text, command) => {
    expect(detectCommand(text)).toBe(command);
  });

  it.each(['how many days a week is iop', 'can my family help me', 'does insurance help pay', 'what is php', 'what program do you have for teens', 'what is the program like', '', '🙂'])(
    'when a visitor asks %j, then it is not a command',
    (text) => {
      expect(detectCommand(text)).toBeNull();
    },
  );
});
